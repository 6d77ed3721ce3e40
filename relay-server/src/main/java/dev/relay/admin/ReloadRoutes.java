package dev.relay.admin;

import java.util.Objects;
import java.util.function.Function;

/**
 * {@code POST /api/reload}: re-reads the configuration and applies what can change while the
 * relay runs, as {@code SIGHUP} does. 200 with the {@link ReloadOutcome} when applied, 422 with
 * it when the new configuration was refused (the old one stays in force).
 */
public final class ReloadRoutes {

    static final String PATH = "/api/reload";

    private final Function<String, ReloadOutcome> reload;

    /** @param reload re-reads and applies, given who asked (for the log) */
    public ReloadRoutes(Function<String, ReloadOutcome> reload) {
        this.reload = Objects.requireNonNull(reload, "reload");
    }

    /** Adds the route; it needs the admin token when one is set. */
    public AdminServer.Builder addTo(AdminServer.Builder server) {
        return server.route("POST", PATH, false, this::post);
    }

    AdminResponse post(AdminRequest request) throws Exception {
        ReloadOutcome outcome = reload.apply(Operators.who(request));
        return AdminResponse.json(outcome.applied() ? 200 : 422, AdminJson.mapper().writeValueAsString(outcome));
    }
}
