package dev.relay.logging;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM for {@link BufferedConsoleAppenderTest}: logs {@code args[0]} INFO lines, prints
 * "logged" straight to stdout, then either exits ({@code args[1]} = "exit") or waits for a signal.
 */
public final class LogThenWait {
    private LogThenWait() {}

    public static void main(String[] args) throws InterruptedException {
        Logger log = LoggerFactory.getLogger("dev.relay.smtp.server.SmtpSession");
        int lines = Integer.parseInt(args[0]);
        for (int i = 0; i < lines; i++) {
            log.info("accepted id=Q{} size=4096 client=127.0.0.1", i);
        }
        System.out.println("logged");
        if (args[1].equals("exit")) {
            System.exit(0);
        }
        new CountDownLatch(1).await();
    }
}
