package dev.relay.cli;

import dev.relay.auth.PasswordHasher;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "users", description = "Manage AUTH users.", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {UsersCommand.Hash.class})
final class UsersCommand {

    /**
     * Prints a users-file line. The password is read without echo from the terminal (asked
     * twice), or as the first line of standard input when there is no terminal, never from
     * the command line where other users could see it in the process list.
     */
    @Command(name = "hash", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Print a 'NAME:hash' line for the users file; the password is read from the terminal or stdin.")
    static final class Hash implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the user name (the AUTH identity)")
        String name;

        @Option(names = "--scheme", paramLabel = "SCHEME", defaultValue = "bcrypt",
                description = "bcrypt (default), pbkdf2-sha256 or scrypt")
        String scheme;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (name.isEmpty() || name.contains(":") || name.chars().anyMatch(c -> c <= ' ' || c == 127)) {
                throw new UserError("users hash: a user name may not be empty or contain ':', spaces or control characters");
            }
            PasswordHasher hasher;
            try {
                hasher = PasswordHasher.of(PasswordHasher.Scheme.fromLabel(scheme));
            } catch (IllegalArgumentException e) {
                throw new UserError("--scheme: " + e.getMessage());
            }
            char[] password = readPassword();
            try {
                spec.commandLine().getOut().println(name + ":" + hasher.hash(password));
                spec.commandLine().getOut().flush();
            } catch (IllegalArgumentException e) {
                throw new UserError("users hash: " + e.getMessage());
            } finally {
                Arrays.fill(password, '\0');
            }
            return 0;
        }

        /** Console.isTerminal() exists from Java 22 on; on 21 a non-null console is a terminal. */
        private static boolean isTerminal(Console console) {
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException olderJava) {
                return true;
            }
        }

        // the null check is for Java 21, where a console is null without a terminal; on 22 and
        // later isTerminal tells
        @SuppressWarnings("SystemConsoleNull")
        private static char[] readPassword() throws IOException {
            Console console = System.console();
            if (console != null && isTerminal(console)) {
                char[] first = console.readPassword("Password: ");
                char[] second = console.readPassword("Again: ");
                if (first == null || second == null || !Arrays.equals(first, second)) {
                    throw new UserError("users hash: the passwords did not match");
                }
                Arrays.fill(second, '\0');
                return first;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                throw new UserError("users hash: no password on standard input");
            }
            return line.toCharArray();
        }
    }
}
