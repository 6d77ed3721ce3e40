package dev.relay.outcome;

import java.util.Optional;

/**
 * Outcomes from a reply line, for tests that care about the queue's bookkeeping rather than
 * classification: a remote host's reply is a {@link Cause#REMOTE_REPLY}, a local one a
 * {@link Cause#LOCAL_ERROR}.
 */
public final class TestOutcomes {
    private TestOutcomes() {}

    public static Reply reply(String line) {
        return Reply.parse(line).orElseThrow(() -> new IllegalArgumentException("not a reply line: " + line));
    }

    public static Outcome.Delivered delivered(String line) {
        return delivered(line, Optional.empty());
    }

    public static Outcome.Delivered delivered(String line, Optional<String> host) {
        return new Outcome.Delivered(reply(line), source(host), TlsFacts.none());
    }

    public static Outcome.Deferred deferred(String line) {
        return deferred(line, Optional.empty());
    }

    public static Outcome.Deferred deferred(String line, Optional<String> host) {
        return new Outcome.Deferred(reply(line), source(host), TlsFacts.none(), cause(host));
    }

    public static Outcome.Failed failed(String line) {
        return failed(line, Optional.empty());
    }

    public static Outcome.Failed failed(String line, Optional<String> host) {
        return new Outcome.Failed(reply(line), source(host), TlsFacts.none(), cause(host));
    }

    /** A server's reply, from {@code source}, as the classifier makes it. */
    public static Outcome fromServer(String line, Source source) {
        Reply reply = reply(line);
        if (reply.isPositive()) {
            return new Outcome.Delivered(reply, source, TlsFacts.none());
        }
        return reply.isPermanent()
                ? new Outcome.Failed(reply, source, TlsFacts.none(), Cause.REMOTE_REPLY)
                : new Outcome.Deferred(reply, source, TlsFacts.none(), Cause.REMOTE_REPLY);
    }

    /** The relay's own temporary verdict with this cause. */
    public static Outcome.Deferred deferred(String line, Cause cause) {
        return localDeferral(reply(line), cause);
    }

    /** A verdict of the relay's own, permanent. */
    public static Outcome.Failed localFailure(int code, EnhancedStatus status, String text, Cause cause) {
        return new Outcome.Failed(Reply.of(code, status, text), Source.local(), TlsFacts.none(), cause);
    }

    /** A verdict of the relay's own, temporary. */
    public static Outcome.Deferred localDeferral(int code, EnhancedStatus status, String text, Cause cause) {
        return localDeferral(Reply.of(code, status, text), cause);
    }

    private static Outcome.Deferred localDeferral(Reply reply, Cause cause) {
        return new Outcome.Deferred(reply, Source.local(), TlsFacts.none(), cause);
    }

    private static Source source(Optional<String> host) {
        return host.map(h -> Source.remote(h, Optional.empty())).orElseGet(Source::local);
    }

    private static Cause cause(Optional<String> host) {
        return host.isPresent() ? Cause.REMOTE_REPLY : Cause.LOCAL_ERROR;
    }
}
