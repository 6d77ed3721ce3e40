package dev.relay.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.relay.mtasts.DomainPolicy;
import dev.relay.mtasts.MtaStsPolicies;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code POST /api/mta-sts/{domain}/refresh}: looks the domain's TXT record up again and fetches
 * its policy now, without waiting for the cache or the failure backoff, for an operator who knows
 * a domain just fixed (or changed) its policy. The reply says what is in force afterwards.
 */
public final class MtaStsRoutes {

    static final String PREFIX = "/api/mta-sts";
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\\.?");
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** What a refresh found, as JSON: {@code result} is active, no_policy or unavailable. */
    public record Refreshed(String domain, String result, Optional<String> mode, Optional<String> id,
            Optional<Instant> fetchedAt, Optional<Instant> expiresAt, Optional<String> detail) {}

    private final Optional<MtaStsPolicies> policies;

    /** @param policies empty when MTA-STS (or delivery) is off */
    public MtaStsRoutes(Optional<MtaStsPolicies> policies) {
        this.policies = Objects.requireNonNull(policies, "policies");
    }

    /** Adds the route; it needs the admin token when one is set. */
    public AdminServer.Builder addTo(AdminServer.Builder server) {
        return server.route("POST", PREFIX, false, this::post);
    }

    AdminResponse post(AdminRequest request) throws Exception {
        String rest = request.path().substring(PREFIX.length());
        String[] parts = rest.split("/", -1);
        if (parts.length != 3 || !parts[0].isEmpty() || !parts[2].equals("refresh")) {
            return error(404, "no such path: " + request.path());
        }
        String domain = parts[1].toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(domain).matches() || domain.contains("..")) {
            return error(400, "not a domain name: " + parts[1]);
        }
        if (policies.isEmpty()) {
            return error(409, "MTA-STS is off on this relay (mta-sts.enabled: false, or delivery has no DNS)");
        }
        DomainPolicy found = policies.get().refresh(domain).toCompletableFuture()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return json(200, switch (found) {
            case DomainPolicy.Active active -> new Refreshed(active.domain(), "active",
                    Optional.of(active.policy().mode().label()), Optional.of(active.id()),
                    Optional.of(active.fetchedAt()), Optional.of(active.expiresAt()),
                    Optional.of(active.fromCache() ? "the fetch failed or found the same id: the cached policy stays"
                            : "fetched now"));
            case DomainPolicy.NoPolicy none -> new Refreshed(domain, "no_policy", Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.of(none.why()));
            case DomainPolicy.Unavailable unavailable -> new Refreshed(domain, "unavailable", Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(unavailable.reason()));
        });
    }

    private static AdminResponse json(int status, Object value) throws JsonProcessingException {
        return AdminResponse.json(status, AdminJson.mapper().writeValueAsString(value));
    }

    private static AdminResponse error(int status, String message) throws JsonProcessingException {
        return json(status, new QueueReplies.Refusal(message));
    }
}
