package dev.relay.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.relay.mtasts.MxPattern;
import dev.relay.mtasts.PolicyOverride;
import dev.relay.text.DomainForm;
import dev.relay.tlspolicy.TlsPolicyOverrides;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The TLS policy overrides through the admin API:
 * <ul>
 *   <li>{@code GET /api/tls-policy}: every override in force ({@link Listed});
 *   <li>{@code POST /api/tls-policy/{domain}/suspend?for=24h&reason=TEXT}: suspends MTA-STS
 *       enforcement for the domain (at most {@link TlsPolicyOverrides#MAX_SUSPENSION});
 *   <li>{@code POST /api/tls-policy/{domain}/resume}: lifts it.
 * </ul>
 * Who asked (address, operator name) goes into the log line and the list.
 */
public final class TlsPolicyRoutes {

    static final String PREFIX = "/api/tls-policy";
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

    /** One override in force, as JSON. */
    public record Listed(String domain, String mode, String kind, String source, List<String> mx,
            Optional<Instant> until, Optional<String> remaining, String reason, Optional<String> setBy,
            Optional<Instant> setAt) {}

    /** The answer to {@code GET}: all overrides in force. */
    public record Overrides(List<Listed> overrides) {}

    private final TlsPolicyOverrides overrides;
    private final Clock clock;

    public TlsPolicyRoutes(TlsPolicyOverrides overrides, Clock clock) {
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds the routes; they need the admin token when one is set. */
    public AdminServer.Builder addTo(AdminServer.Builder server) {
        return server.route("GET", PREFIX, false, this::get).route("POST", PREFIX, false, this::post);
    }

    AdminResponse get(AdminRequest request) throws JsonProcessingException {
        if (!request.path().equals(PREFIX)) {
            return error(404, "no such path: " + request.path());
        }
        return json(200, new Overrides(list()));
    }

    /** The overrides in force now, as the API and the status page show them. */
    public List<Listed> list() {
        Instant now = clock.instant();
        return overrides.active().stream().map(o -> listed(o, now)).toList();
    }

    AdminResponse post(AdminRequest request) throws JsonProcessingException {
        String[] parts = request.path().substring(PREFIX.length()).split("/", -1);
        if (parts.length != 3 || !parts[0].isEmpty()) {
            return error(404, "no such path: " + request.path());
        }
        String domain = DomainForm.canonical(parts[1]);
        if (!DOMAIN.matcher(domain).matches() || domain.contains("..")) {
            return error(400, "not a domain name: " + parts[1]);
        }
        String who = Operators.who(request);
        Instant now = clock.instant();
        return switch (parts[2]) {
            case "suspend" -> suspend(request, domain, who, now);
            case "resume" -> overrides.resume(domain, who)
                    .map(lifted -> json(200, listed(lifted, now)))
                    .orElseGet(() -> error(404, domain + " has no suspension"));
            default -> error(404, "no such path: " + request.path());
        };
    }

    private AdminResponse suspend(AdminRequest request, String domain, String who, Instant now) {
        Optional<String> length = request.queryParam("for");
        Optional<String> reason = request.queryParam("reason").filter(r -> !r.isBlank());
        if (length.isEmpty() || reason.isEmpty()) {
            return error(400, "a suspension needs for=DURATION (like 24h, at most "
                    + dev.relay.text.Durations.format(TlsPolicyOverrides.MAX_SUSPENSION) + ") and reason=TEXT");
        }
        Optional<Duration> parsed = dev.relay.text.Durations.parse(length.get());
        if (parsed.isEmpty()) {
            return error(400, "for: expected a duration like 30m, 24h or 7d, got '" + length.get() + "'");
        }
        try {
            return json(200, listed(overrides.suspend(domain, parsed.get(), reason.get(), who), now));
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
    }

    private static Listed listed(PolicyOverride o, Instant now) {
        Optional<String> by = o.source() instanceof PolicyOverride.Suspension s ? Optional.of(s.by()) : Optional.empty();
        Optional<Instant> at = o.source() instanceof PolicyOverride.Suspension s ? Optional.of(s.at()) : Optional.empty();
        return new Listed(o.domain(), o.mode().label(), o.kind(), o.source().label(),
                o.mx().stream().map(MxPattern::pattern).toList(), o.until(),
                o.until().map(u -> TlsPolicyOverrides.remaining(o, now)), o.reason(), by, at);
    }

    private static AdminResponse json(int status, Object value) {
        try {
            return AdminResponse.json(status, AdminJson.mapper().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records of text and times always serialise", e);
        }
    }

    private static AdminResponse error(int status, String message) {
        return json(status, new QueueReplies.Refusal(message));
    }
}
