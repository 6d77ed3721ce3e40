package dev.relay.delivery;

import dev.relay.delivery.testkit.TestMessages;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.tls.TlsRequirement;
import io.netty.handler.ssl.SslProvider;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A rough throughput program (not a test): messages over TLS to a {@link TestMx} on loopback,
 * with connection reuse and with a new TLS connection per message. The sink is the JDK's TLS
 * on a thread per connection, so the figures bound the pair, not the client alone. Run with
 * {@code java -cp ... dev.relay.delivery.DeliveryThroughput [messages] [parallel]}.
 */
public final class DeliveryThroughput {

    private DeliveryThroughput() {}

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int parallel = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        SslProvider provider = DeliveryFixture.providers().getLast();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (TestMx mx = TestMx.builder().hostname("a.mx.test").starttls(DeliveryFixture.CA.issue("a.mx.test"))
                        .extensions("PIPELINING", "8BITMIME", "SIZE 10000000").start();
                SmtpClient client = DeliveryFixture.client(provider, ClientTimeouts.uniform(Duration.ofSeconds(30)))) {
            Destination destination = new Destination("a.mx.test", mx.address(), TlsRequirement.REQUIRED_VERIFIED);
            OutboundMessage message = TestMessages.message("a@relay.test", TestMessages.text("bench", 40), "b@mx.test");
            for (int round = 0; round < 2; round++) { // the first round warms up
                try (ConnectionPool pool = new ConnectionPool(client, new ConnectionPool.Settings(parallel, 1_000_000, Duration.ofSeconds(5)))) {
                    report("reuse " + provider, messages, os, () -> run(messages, parallel, () -> pool.deliver(destination, message)));
                }
                int fresh = Math.max(100, messages / 10);
                report("new connection " + provider, fresh, os, () -> run(fresh, parallel, () -> client.deliver(destination, message)));
            }
        }
    }

    private static void run(int messages, int parallel, java.util.function.Supplier<CompletableFuture<TransactionOutcome>> send) {
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        int[] left = {messages};
        for (int lane = 0; lane < parallel; lane++) {
            lanes.add(next(left, send));
        }
        lanes.forEach(CompletableFuture::join);
    }

    private static CompletableFuture<Void> next(int[] left, java.util.function.Supplier<CompletableFuture<TransactionOutcome>> send) {
        synchronized (left) {
            if (left[0] == 0) {
                return CompletableFuture.completedFuture(null);
            }
            left[0]--;
        }
        return send.get().thenCompose(outcome -> {
            if (!(outcome instanceof TransactionOutcome.Concluded)) {
                throw new IllegalStateException("failed: " + outcome);
            }
            return next(left, send);
        });
    }

    /** CPU time of the client's event loop threads (the sink's threads are named test-mx). */
    private static long clientCpu() {
        var threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("smtp-out")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static void report(String label, int messages, com.sun.management.OperatingSystemMXBean os, Runnable work) {
        long cpu = os.getProcessCpuTime();
        long clientCpu = clientCpu();
        long start = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6;
        double clientMs = (clientCpu() - clientCpu) / 1e6;
        System.out.printf("%-24s %6d msgs  %7.0f msgs/s  CPU/msg: %6.3f ms client event loops, %6.3f ms whole process%n",
                label, messages, messages / seconds, clientMs / messages, cpuMs / messages);
    }
}
