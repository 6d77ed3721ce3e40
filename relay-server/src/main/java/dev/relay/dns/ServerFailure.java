package dev.relay.dns;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/**
 * A server that answered with an error code (SERVFAIL, REFUSED, ...) rather than an answer.
 *
 * <p>Raised by {@link #failingOnErrors} under dnsjava's validating resolver: the validator
 * would read an upstream SERVFAIL as a response to validate, and call it bogus. Failing the
 * query instead keeps "the server could not answer" (try again later) apart from "the answer
 * is forged or broken" (bogus), also for the DS and DNSKEY queries the validator asks itself.
 */
final class ServerFailure extends IOException {
    private static final long serialVersionUID = 1L;

    private final ResultKind kind;

    ServerFailure(int rcode) {
        super(Rcode.string(rcode));
        this.kind = switch (rcode) {
            case Rcode.SERVFAIL -> ResultKind.SERVFAIL;
            case Rcode.REFUSED -> ResultKind.REFUSED;
            default -> ResultKind.ERROR;
        };
    }

    ResultKind kind() {
        return kind;
    }

    /** The resolver, its responses with an error code turned into failures. */
    static Resolver failingOnErrors(Resolver resolver) {
        return new FailingOnErrors(resolver);
    }

    private record FailingOnErrors(Resolver resolver) implements Resolver {
        @Override
        public CompletionStage<Message> sendAsync(Message query, Executor executor) {
            return resolver.sendAsync(query, executor).thenCompose(response -> {
                int rcode = response.getRcode();
                return rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN
                        ? CompletableFuture.completedFuture(response)
                        : CompletableFuture.failedFuture(new ServerFailure(rcode));
            });
        }

        @Override
        public CompletionStage<Message> sendAsync(Message query) {
            return sendAsync(query, java.util.concurrent.ForkJoinPool.commonPool());
        }

        @Override
        public void setPort(int port) {
            resolver.setPort(port);
        }

        @Override
        public void setTCP(boolean flag) {
            resolver.setTCP(flag);
        }

        @Override
        public void setIgnoreTruncation(boolean flag) {
            resolver.setIgnoreTruncation(flag);
        }

        @Override
        public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
            resolver.setEDNS(version, payloadSize, flags, options);
        }

        @Override
        public void setTSIGKey(TSIG key) {
            resolver.setTSIGKey(key);
        }

        @Override
        public void setTimeout(Duration timeout) {
            resolver.setTimeout(timeout);
        }

        @Override
        public Duration getTimeout() {
            return resolver.getTimeout();
        }
    }
}
