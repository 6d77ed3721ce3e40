package dev.relay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar relay.jar ...}: the top of the command line. */
@Command(
        name = "relay.jar",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Outbound SMTP relay that enforces MTA-STS.",
        subcommands = {RunCommand.class, ConfigCommand.class, UsersCommand.class, MtaStsCommand.class, TlsCommand.class,
                QueueCommand.class, TlsRptCommand.class, ReloadCommand.class, TlsPolicyCommand.class,
                CommandLine.HelpCommand.class})
public final class RelayCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (0 ok, 1 runtime failure, 2 user error). */
    public static int execute(String... args) {
        // the JVM's default charset, as before it was named: UTF-8 on Java 18 and later
        java.nio.charset.Charset charset = java.nio.charset.Charset.defaultCharset();
        return execute(new java.io.PrintWriter(System.out, true, charset), new java.io.PrintWriter(System.err, true, charset), args);
    }

    /** As {@link #execute(String...)}, writing to the given streams (for tests). */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new RelayCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new UserErrorHandler());
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: run, config check, queue, reload, tls-policy, users hash, mta-sts check");
    }
}
