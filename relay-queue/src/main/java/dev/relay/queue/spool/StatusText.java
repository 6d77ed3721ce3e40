package dev.relay.queue.spool;

import dev.relay.outcome.AppliedPolicy;
import dev.relay.outcome.Cause;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Reply;
import dev.relay.outcome.Source;
import dev.relay.outcome.TlsFacts;
import dev.relay.queue.RecipientStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A recipient's status in a state record. Version 2 writes the reply as a line people can read,
 * then each fact of the outcome on a line of its own:
 *
 * <pre>
 * status: deferred 2026-05-01T10:05:00Z 451 4.7.5 MTA-STS policy of &lt;example.com&gt; ...
 * remote: mx1.example.com 192.0.2.1          (absent for the relay's own verdict)
 * tls: mta-sts-enforce TLSv1.3 TLS_AES_128_GCM_SHA256 verified   (or just the policy)
 * cause: sts-policy-not-met                  (deferred and failed)
 * host: mx1.example.com certificate-expired the certificate expired on ...   (zero or more)
 * expired: yes                               (failed at the end of the queue lifetime)
 * </pre>
 *
 * Version 1 records (free text and a {@code remote-mta} line) are read into the same values
 * with {@link Cause#UNCLASSIFIED}: the text is kept, nothing is guessed from it but the reply
 * code and the expiry that the old queue wrote in a fixed form.
 */
final class StatusText {
    private StatusText() {}

    private static final String EXPIRED_PREFIX = "delivery time expired";
    private static final String LAST_REPLY = "last reply: ";

    static void write(RecipientStatus status, TextForm.Builder text) {
        switch (status) {
            case RecipientStatus.Pending p -> text.field("status", "pending");
            case RecipientStatus.Delivered d -> {
                text.field("status", "delivered " + d.at() + " " + d.outcome().reply().line());
                facts(d.outcome(), text);
            }
            case RecipientStatus.Deferred d -> {
                text.field("status", "deferred " + d.nextAttempt() + " " + d.outcome().reply().line());
                facts(d.outcome(), text);
                failure(d.outcome().cause(), d.outcome().hosts(), text);
            }
            case RecipientStatus.Failed f -> {
                text.field("status", "failed " + f.at() + " " + f.outcome().reply().line());
                facts(f.outcome(), text);
                failure(f.outcome().cause(), f.outcome().hosts(), text);
                if (f.outcome().expired()) {
                    text.field("expired", "yes");
                }
            }
        }
    }

    private static void facts(Outcome outcome, TextForm.Builder text) {
        if (outcome.source() instanceof Source.Remote remote) {
            text.field("remote", remote.host() + remote.address().map(a -> " " + a).orElse(""));
        }
        TlsFacts tls = outcome.tls();
        if (!tls.equals(TlsFacts.none())) {
            text.field("tls", tls.policy().label() + tls.session()
                    .map(s -> " " + s.protocol() + " " + s.cipher() + (s.verified() ? " verified" : " unverified"))
                    .orElse(""));
        }
    }

    private static void failure(Cause cause, List<HostProblem> hosts, TextForm.Builder text) {
        text.field("cause", cause.label());
        for (HostProblem host : hosts) {
            text.field("host", host.host() + " " + host.cause().label() + " " + host.detail());
        }
    }

    static Reader reader(int version) throws CorruptRecordException {
        if (version != StateVersion.LEGACY && version != StateVersion.CURRENT) {
            throw new CorruptRecordException("unknown state record version " + version);
        }
        return new Reader(version);
    }

    /** Collects the status lines of one record, in order. */
    static final class Reader {
        private final int version;
        private final List<RecipientStatus> statuses = new ArrayList<>();
        private Builder current;

        private Reader(int version) {
            this.version = version;
        }

        void field(String key, String value) throws CorruptRecordException {
            if (key.equals("status")) {
                flush();
                current = status(value);
                return;
            }
            if (current == null || current.kind.equals("pending")) {
                throw new CorruptRecordException(key + " without a status it belongs to");
            }
            switch (version == StateVersion.LEGACY ? "v1:" + key : key) {
                case "v1:remote-mta" -> current.source = Source.remote(value, Optional.empty());
                case "remote" -> {
                    int space = value.indexOf(' ');
                    current.source = space < 0
                            ? Source.remote(value, Optional.empty())
                            : Source.remote(value.substring(0, space), Optional.of(value.substring(space + 1)));
                }
                case "tls" -> current.tls = tls(value);
                case "cause" -> current.cause = cause(value);
                case "host" -> current.hosts.add(host(value));
                case "expired" -> current.expired = value.equals("yes");
                default -> throw new CorruptRecordException("unknown state field: " + key);
            }
        }

        List<RecipientStatus> finish() throws CorruptRecordException {
            flush();
            return List.copyOf(statuses);
        }

        private void flush() throws CorruptRecordException {
            if (current != null) {
                statuses.add(current.build(version));
                current = null;
            }
        }
    }

    /** One status being read: the line, then its facts. */
    private static final class Builder {
        final String kind;
        final Instant at;
        final String text;
        Source source = Source.local();
        TlsFacts tls = TlsFacts.none();
        Cause cause;
        final List<HostProblem> hosts = new ArrayList<>();
        boolean expired;

        Builder(String kind, Instant at, String text) {
            this.kind = kind;
            this.at = at;
            this.text = text;
        }

        RecipientStatus build(int version) throws CorruptRecordException {
            if (kind.equals("pending")) {
                return MessageState.PENDING;
            }
            String line = text;
            if (version == StateVersion.LEGACY && kind.equals("failed") && line.startsWith(EXPIRED_PREFIX)) {
                expired = true;
                int last = line.indexOf(LAST_REPLY);
                line = last < 0 ? "" : line.substring(last + LAST_REPLY.length());
            }
            Reply reply = reply(line, version);
            if (version == StateVersion.LEGACY) {
                cause = Cause.UNCLASSIFIED;
                // the old queue only made 4xx results final by expiry
                expired |= kind.equals("failed") && !reply.isPermanent();
            } else if (!kind.equals("delivered") && cause == null) {
                throw new CorruptRecordException(kind + " status without a cause");
            }
            try {
                return switch (kind) {
                    case "delivered" -> new RecipientStatus.Delivered(at, new Outcome.Delivered(reply, source, tls));
                    case "deferred" -> new RecipientStatus.Deferred(at,
                            SharedOutcomes.share(new Outcome.Deferred(reply, source, tls, cause, hosts)));
                    case "failed" -> new RecipientStatus.Failed(at,
                            new Outcome.Failed(reply, source, tls, cause, hosts, expired));
                    default -> throw new CorruptRecordException("bad status: " + kind);
                };
            } catch (IllegalArgumentException e) {
                throw new CorruptRecordException("bad " + kind + " status: " + e.getMessage(), e);
            }
        }

        private Reply reply(String line, int version) throws CorruptRecordException {
            Optional<Reply> parsed = Reply.parse(line);
            if (parsed.isPresent()) {
                return parsed.get();
            }
            if (version == StateVersion.LEGACY) {
                // free text without a code: keep it whole under the class the status implies
                int code = switch (kind) {
                    case "delivered" -> 250;
                    case "failed" -> expired ? 451 : 554;
                    default -> 451;
                };
                return new Reply(code, Optional.empty(), line);
            }
            throw new CorruptRecordException("bad reply: " + line);
        }
    }

    private static Builder status(String value) throws CorruptRecordException {
        if (value.equals("pending")) {
            return new Builder("pending", Instant.EPOCH, "");
        }
        int first = value.indexOf(' ');
        int second = first < 0 ? -1 : value.indexOf(' ', first + 1);
        if (second < 0) {
            throw new CorruptRecordException("bad status: " + value);
        }
        String kind = value.substring(0, first);
        if (!kind.equals("delivered") && !kind.equals("deferred") && !kind.equals("failed")) {
            throw new CorruptRecordException("bad status: " + value);
        }
        return new Builder(kind, RecordText.instant(value.substring(first + 1, second)), value.substring(second + 1));
    }

    private static TlsFacts tls(String value) throws CorruptRecordException {
        String[] words = value.split(" ", -1);
        AppliedPolicy policy = AppliedPolicy.fromLabel(words[0])
                .orElseThrow(() -> new CorruptRecordException("unknown TLS policy: " + words[0]));
        if (words.length == 1) {
            return TlsFacts.without(policy);
        }
        if (words.length != 4 || !(words[3].equals("verified") || words[3].equals("unverified"))) {
            throw new CorruptRecordException("bad tls field: " + value);
        }
        return new TlsFacts(policy, Optional.of(new TlsFacts.Session(words[1], words[2], words[3].equals("verified"))));
    }

    private static Cause cause(String label) throws CorruptRecordException {
        // a cause a newer version added reads as unclassified rather than losing the message
        return Cause.fromLabel(label).orElse(Cause.UNCLASSIFIED);
    }

    private static HostProblem host(String value) throws CorruptRecordException {
        int first = value.indexOf(' ');
        int second = first < 0 ? -1 : value.indexOf(' ', first + 1);
        if (first < 0) {
            throw new CorruptRecordException("bad host field: " + value);
        }
        String host = value.substring(0, first);
        String cause = second < 0 ? value.substring(first + 1) : value.substring(first + 1, second);
        String detail = second < 0 ? "" : value.substring(second + 1);
        try {
            return new HostProblem(host, cause(cause), detail);
        } catch (IllegalArgumentException e) {
            throw new CorruptRecordException("bad host field: " + value, e);
        }
    }
}
