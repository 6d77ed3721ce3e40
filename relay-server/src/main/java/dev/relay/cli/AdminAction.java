package dev.relay.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command that asks the running relay through its admin API shares: where the relay is
 * and which token it wants ({@link AdminTarget}), a client for it, and the command's output,
 * flushed however the command ends.
 */
abstract class AdminAction implements Callable<Integer> {
    @Mixin
    AdminTarget target;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        checkArguments();
        AdminTarget.Resolved resolved = target.resolve(System.getenv());
        PrintWriter out = spec.commandLine().getOut();
        try {
            return run(new AdminClient(resolved.address(), resolved.token()), out);
        } finally {
            out.flush();
        }
    }

    /** Refuses bad arguments before the relay is looked for (a usage error, not an unreachable relay). */
    void checkArguments() {}

    /** Asks the relay and prints the answer; the exit code. */
    abstract int run(AdminClient admin, PrintWriter out) throws Exception;
}
