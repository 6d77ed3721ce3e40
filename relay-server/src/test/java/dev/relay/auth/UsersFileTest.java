package dev.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.relay.settings.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsersFileTest {

    private static final String ALICE = "$2y$05$8LFsrlQmqAB16qkMuCJ8ZOAt3Y.c/EmajOmzwNDds24MV6R44acv6";
    private static final String BOB = "$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$ZvLORN3Wu1.2s6Mb0kBKZ43bylSsC/t0Vz5rE9nJPNg";
    private static final String CAROL = "$scrypt$ln=4,r=2,p=3$AAECAwQFBgc$GSa4lD4LNz6yJSyLkORVyJPm/e.H6y.WLXaPJEKF7NA";

    @TempDir
    Path dir;

    @Test
    void usersOfEverySchemeAuthenticate() throws IOException {
        Path file = dir.resolve("users");
        Files.writeString(file, "# relay users\r\n\r\nalice:" + ALICE + "\r\n  bob@example.com : " + BOB
                + "\n\n# carol uses scrypt\ncarol:" + CAROL + "\n");
        UsersFile users = UsersFile.load(file);

        assertThat(users.usernames()).containsExactly("alice", "bob@example.com", "carol");
        assertThat(users.authenticate("alice", "correct horse".toCharArray())).contains("alice");
        assertThat(users.authenticate("bob@example.com", "correct horse".toCharArray())).contains("bob@example.com");
        assertThat(users.authenticate("carol", "pässwörd".toCharArray())).contains("carol");
        assertThat(users.authenticate("alice", "correct horse!".toCharArray())).isEmpty();
        assertThat(users.authenticate("carol", "correct horse".toCharArray())).isEmpty();
        assertThat(users.authenticate("Alice", "correct horse".toCharArray())).as("names are exact").isEmpty();
        assertThat(users.authenticate("mallory", "correct horse".toCharArray())).isEmpty();
    }

    @Test
    void withoutAUsersFileNobodyAuthenticates() {
        assertThat(UsersFile.forConfig(java.util.Optional.empty())).isSameAs(Authenticator.NONE);
    }

    @Test
    void anEmptyFileAuthenticatesNobody() {
        UsersFile users = UsersFile.parse("# nobody yet\n", "users");
        assertThat(users.usernames()).isEmpty();
        assertThat(users.authenticate("alice", "x".toCharArray())).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "alice | 2 | expected username:hash",
        "alice:hunter2 | 2 | password is not hashed; plain text is refused",
        ":" + ALICE + " | 2 | empty user name",
        "al ice:" + ALICE + " | 2 | user name must not contain spaces",
        "alice: | 2 | no password hash for user \"alice\"",
        "alice:$1$salt$hash | 2 | unknown hash scheme \"$1$\"",
        "alice:$2b$12$short | 2 | malformed bcrypt hash",
        "bob:" + BOB + "\\nbob:" + BOB + " | 3 | user \"bob\" is already on line 2",
        "\\n\\n\\neve:{SSHA}abcdef | 5 | plain text is refused",
    })
    void badLinesAreRefusedWithTheirNumberAndWithoutTheHash(String body, int line, String problem) {
        String content = "# users\n" + body.replace("\\n", "\n") + "\n";
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> UsersFile.parse(content, "/etc/relay/users"));

        assertThat(e).isNotNull();
        assertThat(e.keyPath()).contains("users-file");
        assertThat(e.getMessage()).startsWith("users-file: /etc/relay/users:" + line + ": ").contains(problem);
        assertThat(e.getMessage()).doesNotContain("hunter2", "ZvLORN3Wu1", "8LFsrlQm", "abcdef");
    }

    @Test
    void aMissingFileIsOneLine() {
        Path missing = dir.resolve("none");
        assertThat(catchThrowableOfType(ConfigException.class, () -> UsersFile.load(missing)))
                .hasMessage("users-file: " + missing + ": no such file");
    }
}
