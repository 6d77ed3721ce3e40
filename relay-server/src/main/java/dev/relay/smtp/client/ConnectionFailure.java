package dev.relay.smtp.client;

import dev.relay.tls.TlsDetails;
import dev.relay.tls.TlsProblem;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a connection (or the transaction on it) ended without the server's verdict on the
 * recipients. All are temporary for the recipients still open; the caller moves on to the
 * next MX address or defers. {@link #describe} words each one as Postfix logs it;
 * {@link Verdicts#connectionFailed} classifies it.
 */
public sealed interface ConnectionFailure {

    Stage stage();

    /** The RFC 8460 result type, when TLS is what failed. */
    default Optional<TlsProblem> tlsProblem() {
        return Optional.empty();
    }

    /** One line naming the peer, e.g. {@code lost connection with mx.example[192.0.2.1]:25 while sending the message body}. */
    default String describe(Destination destination) {
        String peer = destination.relayName();
        return switch (this) {
            case ConnectFailed f -> "connect to " + peer + ": " + f.reason();
            case Rejected r when r.stage() == Stage.GREETING -> "host " + peer + " refused to talk to me: " + r.reply().text();
            case Rejected r -> "host " + peer + " said: " + r.reply().text() + " (in reply to " + r.stage().command() + ")";
            case StartTlsUnavailable s -> s.refusal()
                    .map(reply -> "TLS is required, but host " + peer + " refused STARTTLS: " + reply.text())
                    .orElse("TLS is required, but STARTTLS was not offered by host " + peer);
            case TlsFailed t -> "TLS with " + peer + " failed (" + t.problem().resultType() + "): " + t.detail();
            case TimedOut t -> "conversation with " + peer + " timed out while " + t.stage().during();
            case ConnectionLost l -> "lost connection with " + peer + " while " + l.stage().during();
            case ProtocolError p -> "protocol error with " + peer + " while " + p.stage().during() + ": " + p.detail();
            case LocalError l -> "local error while " + l.stage().during() + " to " + peer + ": " + l.detail();
        };
    }

    /** TCP connect failed: refused, unreachable, or no answer within the connect timeout. */
    record ConnectFailed(String reason, boolean timedOut) implements ConnectionFailure {
        public ConnectFailed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Stage stage() {
            return Stage.CONNECT;
        }
    }

    /** The server refused the session: a non-2xx greeting, or EHLO/HELO refused. */
    record Rejected(Stage stage, SmtpReply reply) implements ConnectionFailure {
        public Rejected {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** TLS was required, but the server did not offer STARTTLS or refused it. */
    record StartTlsUnavailable(Optional<SmtpReply> refusal) implements ConnectionFailure {
        public StartTlsUnavailable {
            Objects.requireNonNull(refusal, "refusal");
        }

        @Override
        public Stage stage() {
            return Stage.STARTTLS;
        }

        @Override
        public Optional<TlsProblem> tlsProblem() {
            return Optional.of(TlsProblem.STARTTLS_NOT_SUPPORTED);
        }
    }

    /**
     * The handshake failed, or the certificate did not satisfy the requirement.
     *
     * @param tls what the session negotiated, when the handshake itself succeeded
     * @param localAddress the relay's own IP address on the connection (TLS reports name it as
     *     {@code sending-mta-ip}); the connection is gone by the time the failure is classified
     */
    record TlsFailed(TlsProblem problem, String detail, Optional<TlsDetails> tls, Optional<String> localAddress)
            implements ConnectionFailure {
        public TlsFailed {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(localAddress, "localAddress");
        }

        /** A failure whose local address is not known. */
        public TlsFailed(TlsProblem problem, String detail, Optional<TlsDetails> tls) {
            this(problem, detail, tls, Optional.empty());
        }

        @Override
        public Stage stage() {
            return Stage.TLS_HANDSHAKE;
        }

        @Override
        public Optional<TlsProblem> tlsProblem() {
            return Optional.of(problem);
        }
    }

    /** No reply (or no progress sending the body) within the stage's timeout. */
    record TimedOut(Stage stage) implements ConnectionFailure {
        public TimedOut {
            Objects.requireNonNull(stage, "stage");
        }
    }

    /** The server closed the connection (or it broke) at this stage. */
    record ConnectionLost(Stage stage) implements ConnectionFailure {
        public ConnectionLost {
            Objects.requireNonNull(stage, "stage");
        }
    }

    /** The server broke the protocol: a malformed or unexpected reply. */
    record ProtocolError(Stage stage, String detail) implements ConnectionFailure {
        public ProtocolError {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The relay itself could not go on, e.g. the stored body could not be read mid-transfer. */
    record LocalError(Stage stage, String detail) implements ConnectionFailure {
        public LocalError {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
