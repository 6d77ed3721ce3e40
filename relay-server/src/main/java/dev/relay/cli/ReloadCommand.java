package dev.relay.cli;

import dev.relay.admin.AdminJson;
import dev.relay.admin.ReloadOutcome;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code reload}: the running relay re-reads its configuration file and applies what can change
 * live (as {@code kill -HUP} does). Exit 0 applied; 1 refused (the relay keeps the running
 * configuration and says why); 2 the relay could not be asked.
 */
@Command(name = "reload", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Make the running relay re-read its configuration and apply what can change without a restart.")
final class ReloadCommand extends AdminAction {

    @Override
    int run(AdminClient admin, PrintWriter out) throws Exception {
        AdminClient.Reply reply = admin.post("/api/reload");
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
        return 0;
    }
}
