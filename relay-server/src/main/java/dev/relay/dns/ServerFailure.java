package dev.relay.dns;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;

/**
 * A server that answered with an error code (SERVFAIL, REFUSED, ...) rather than an answer.
 *
 * <p>Raised by {@link FailingOnErrors} under dnsjava's validating resolver: the validator
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

    /**
     * dnsjava's retrying resolver, its responses with an error code turned into failures. A
     * subclass rather than a wrapper: the validator also sets EDNS, TCP and timeouts on the
     * resolver it is given, and these must reach the servers' resolvers as they are.
     */
    static final class FailingOnErrors extends ExtendedResolver {
        FailingOnErrors(Iterable<Resolver> resolvers) {
            super(resolvers);
        }

        // ExtendedResolver's sendAsync(Message) comes here too
        @Override
        public CompletionStage<Message> sendAsync(Message query, Executor executor) {
            return super.sendAsync(query, executor).thenCompose(response -> {
                int rcode = response.getRcode();
                return rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN
                        ? CompletableFuture.completedFuture(response)
                        : CompletableFuture.failedFuture(new ServerFailure(rcode));
            });
        }
    }
}
