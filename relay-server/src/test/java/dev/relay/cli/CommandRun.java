package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the relay's command line in the test's JVM, as an admin would type it: its exit code and what it printed. */
public record CommandRun(int exitCode, String out, String err) {

    public static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RelayCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    /** What a run that must succeed (exit code 0) printed, without the surrounding white space. */
    public static String succeeding(String... args) {
        CommandRun run = of(args);
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        return run.out().strip();
    }
}
