package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real listener pipeline on an EmbeddedChannel: feed bytes, read replies, move time.
 * Replies come back as text, one string per reply, lines joined with "\n".
 */
final class SessionHarness {
    final EmbeddedChannel channel;
    private final StringBuilder pending = new StringBuilder();

    SessionHarness(SessionServices services, InetSocketAddress client) {
        channel = new ClientChannel(client, new SmtpChannelInitializer(services, ignored -> {}));
    }

    /** An EmbeddedChannel with an IP peer address (the session needs one). */
    private static final class ClientChannel extends EmbeddedChannel {
        private final InetSocketAddress remote;

        ClientChannel(InetSocketAddress remote, ChannelHandler handler) {
            super(EmbeddedChannel.builder().register(false).handlers(handler));
            this.remote = remote;
            try {
                register();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }
    }

    void send(String text) {
        sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    void sendBytes(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        channel.runPendingTasks();
    }

    /** Sends one command line (CRLF added) and returns its single reply. */
    String command(String line) {
        send(line + "\r\n");
        return reply();
    }

    /** Every complete reply written and flushed so far. */
    List<String> replies() {
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            pending.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        List<String> replies = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int consumed = 0;
        int end;
        while ((end = pending.indexOf("\r\n", consumed)) >= 0) {
            String line = pending.substring(consumed, end);
            consumed = end + 2;
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) == ' ') {
                replies.add(String.join("\n", lines));
                lines.clear();
                pending.delete(0, consumed);
                consumed = 0;
            }
        }
        return replies;
    }

    /** Exactly one reply is waiting; returns it. */
    String reply() {
        List<String> replies = replies();
        assertThat(replies).as("replies").hasSize(1);
        return replies.get(0);
    }

    String greeting() {
        return reply();
    }

    /** Greeting and EHLO done; returns the EHLO reply. */
    String ehlo() {
        assertThat(greeting()).startsWith("220 ");
        return command("EHLO client.example");
    }

    void advance(Duration time) {
        channel.advanceTimeBy(time.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    void runTasks() {
        channel.runPendingTasks();
    }

    boolean isOpen() {
        channel.runPendingTasks();
        return channel.isOpen();
    }

    /** Nothing unread, nothing undecoded: closes the channel and asserts it held nothing more. */
    void assertDrained() {
        assertThat(replies()).as("unread replies").isEmpty();
        assertThat(pending.toString()).as("partial reply").isEmpty();
        assertThat(channel.finish()).as("messages left in the channel").isFalse();
    }
}
