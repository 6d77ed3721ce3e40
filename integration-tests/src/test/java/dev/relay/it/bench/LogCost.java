package dev.relay.it.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process CPU per log line through whatever Logback configuration the JVM is given (issue 14,
 * see BENCHMARKS.md): logs the relay's {@code accepted} line {@code args[0]} times (default
 * 200 000) once to warm up and once measured, prints the µs per line on stderr; redirect stdout
 * where the lines should go (a file, {@code | cat >/dev/null} for a pipe). E.g.
 * {@code java -Dlogback.configurationFile=config/logback.xml -cp "$cp" dev.relay.it.bench.LogCost}
 * with {@code $cp} from {@code bench-classpath.sh}.
 */
public final class LogCost {
    private LogCost() {}

    public static void main(String[] args) {
        int lines = BenchArgs.number(args, 0, 200_000);
        Logger log = LoggerFactory.getLogger("dev.relay.smtp.server.SmtpSession");
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < 2; round++) {
            long cpu = os.getProcessCpuTime();
            for (int i = 0; i < lines; i++) {
                log.info("1M973ZE5XDKJD5A{}: accepted from=<load@bench.test> rcpts=1 size=4158 client=127.0.0.1 "
                        + "tls=none auth=none listener=127.0.0.1:44347", i);
            }
            if (round == 1) {
                System.err.printf("%.2f us/line%n", (os.getProcessCpuTime() - cpu) / 1e3 / lines);
            }
        }
        System.exit(0); // the buffered appender's shutdown hook writes what is left
    }
}
