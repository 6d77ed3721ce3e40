package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AuthExchangeTest {

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertVerify(AuthExchange.Step step, String user, String password) {
        assertThat(step).isInstanceOfSatisfying(AuthExchange.Verify.class, v -> {
            assertThat(v.username()).isEqualTo(user);
            assertThat(new String(v.password())).isEqualTo(password);
        });
    }

    private static void assertFail(AuthExchange.Step step, Reply reply) {
        assertThat(step).isInstanceOfSatisfying(AuthExchange.Fail.class, f -> assertThat(f.reply()).isEqualTo(reply));
    }

    @Test
    void plainWithInitialResponse() {
        assertVerify(new AuthExchange().start("PLAIN " + b64("\0alice\0secret")), "alice", "secret");
        assertVerify(new AuthExchange().start("plain " + b64("alice\0alice\0pässwörd")), "alice", "pässwörd");
    }

    @Test
    void plainWithChallenge() {
        AuthExchange exchange = new AuthExchange();
        assertThat(exchange.start("PLAIN")).isEqualTo(new AuthExchange.Challenge(""));
        assertVerify(exchange.respond(b64("\0alice\0secret")), "alice", "secret");
    }

    @Test
    void plainRejectsMalformedMessagesAndForeignAuthorization() {
        assertFail(new AuthExchange().start("PLAIN " + b64("alice\0secret")), Replies.AUTH_BAD_RESPONSE);
        assertFail(new AuthExchange().start("PLAIN " + b64("\0\0secret")), Replies.AUTH_BAD_RESPONSE);
        assertFail(new AuthExchange().start("PLAIN " + b64("\0a\0b\0c")), Replies.AUTH_BAD_RESPONSE);
        assertFail(new AuthExchange().start("PLAIN " + b64("bob\0alice\0secret")), Replies.AUTH_FAILED);
        assertFail(new AuthExchange().start("PLAIN not*base64"), Replies.AUTH_BAD_RESPONSE);
        assertFail(new AuthExchange().start("PLAIN ="), Replies.AUTH_BAD_RESPONSE);
        assertFail(new AuthExchange().start("PLAIN " + b64("\0al\u0001ice\0x")), Replies.AUTH_BAD_RESPONSE);
    }

    @Test
    void login() {
        AuthExchange exchange = new AuthExchange();
        assertThat(exchange.start("LOGIN")).isEqualTo(new AuthExchange.Challenge(b64("Username:")));
        assertThat(exchange.respond(b64("alice"))).isEqualTo(new AuthExchange.Challenge(b64("Password:")));
        assertVerify(exchange.respond(b64("secret")), "alice", "secret");

        AuthExchange initial = new AuthExchange();
        assertThat(initial.start("LOGIN " + b64("alice"))).isEqualTo(new AuthExchange.Challenge(b64("Password:")));
        assertVerify(initial.respond(b64("secret")), "alice", "secret");
    }

    @Test
    void cancelAndUnknownMechanism() {
        AuthExchange exchange = new AuthExchange();
        exchange.start("LOGIN");
        assertFail(exchange.respond("*"), Replies.AUTH_CANCELLED);
        assertFail(new AuthExchange().start("CRAM-MD5"), Replies.AUTH_UNKNOWN_MECHANISM);
        assertFail(new AuthExchange().start(""), Replies.SYNTAX_AUTH);
        assertFail(new AuthExchange().start("PLAIN a b"), Replies.SYNTAX_AUTH);
    }
}
