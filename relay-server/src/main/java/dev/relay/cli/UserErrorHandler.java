package dev.relay.cli;

import dev.relay.settings.ConfigException;
import picocli.CommandLine;

/**
 * Turns user errors into one line on stderr and exit code 2, and a refusal by the running relay
 * ({@link CommandFailure}) into one line and exit code 1; anything else is a bug (1, with the trace).
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {

    static final int USER_ERROR = 2;
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (e instanceof UserError || e instanceof ConfigException || e instanceof dev.relay.StartupException) {
            commandLine.getErr().println("relay: " + e.getMessage());
            return USER_ERROR;
        }
        if (e instanceof CommandFailure failure) {
            commandLine.getErr().println("relay: " + failure.getMessage());
            return FAILURE;
        }
        commandLine.getErr().println("relay: unexpected failure: " + e);
        e.printStackTrace(commandLine.getErr());
        return FAILURE;
    }
}
