package dev.relay.cli;

import dev.relay.admin.AdminJson;
import dev.relay.admin.ReloadOutcome;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code reload}: the running relay re-reads its configuration file and applies what can change
 * live (as {@code kill -HUP} does). Exit 0 applied; 1 refused (the relay keeps the running
 * configuration and says why); 2 the relay could not be asked.
 */
@Command(name = "reload", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Make the running relay re-read its configuration and apply what can change without a restart.")
final class ReloadCommand implements Callable<Integer> {

    @Mixin
    AdminTarget target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AdminTarget.Resolved resolved = target.resolve(System.getenv());
        PrintWriter out = spec.commandLine().getOut();
        AdminClient.Reply reply = new AdminClient(resolved.address(), resolved.token()).post("/api/reload");
        if (reply.status() != 200 && reply.status() != 422) {
            QueueCommand.expectOk(reply, "the reload");
        }
        ReloadOutcome outcome = AdminJson.mapper().readValue(reply.body(), ReloadOutcome.class);
        if (!outcome.applied()) {
            throw new CommandFailure("reload refused, the running configuration stays in force: "
                    + QueueText.safe(outcome.refusal().orElse("no reason given")));
        }
        out.println("reloaded " + QueueText.safe(outcome.source()) + ": " + (outcome.changed().isEmpty()
                ? "no key changed" : "changed " + QueueText.safe(String.join(", ", outcome.changed()))));
        if (!outcome.needRestart().isEmpty()) {
            out.println("needs a restart to apply: " + QueueText.safe(String.join(", ", outcome.needRestart()))
                    + " (the running values stay until then)");
        }
        out.flush();
        return 0;
    }
}
