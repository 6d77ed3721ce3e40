package dev.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.auth.PasswordHasher.Scheme;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private static final char[] PASSWORD = "Tr0ub4dor&3 ünïcode".toCharArray();

    @Test
    void eachSchemeMakesHashesItsReaderAccepts() {
        for (PasswordHasher hasher : new PasswordHasher[] {
            PasswordHasher.bcrypt(4), PasswordHasher.pbkdf2Sha256(1000), PasswordHasher.scrypt(4)}) {
            String hash = hasher.hash(PASSWORD);
            assertThat(PasswordHasher.matches(hash, PASSWORD)).as(hash).isTrue();
            assertThat(PasswordHasher.matches(hash, "wrong".toCharArray())).as(hash).isFalse();
            assertThat(hasher.hash(PASSWORD)).as("salted").isNotEqualTo(hash);
        }
    }

    @Test
    void formatsAreTheDocumentedOnes() {
        assertThat(PasswordHasher.bcrypt(4).hash(PASSWORD)).matches("\\$2b\\$04\\$[./A-Za-z0-9]{53}");
        assertThat(PasswordHasher.pbkdf2Sha256(1000).hash(PASSWORD))
                .matches("\\$pbkdf2-sha256\\$1000\\$[./A-Za-z0-9]{22}\\$[./A-Za-z0-9]{43}");
        assertThat(PasswordHasher.scrypt(4).hash(PASSWORD))
                .matches("\\$scrypt\\$ln=4,r=8,p=1\\$[./A-Za-z0-9]{22}\\$[./A-Za-z0-9]{43}");
    }

    @Test
    void theDefaultIsBcryptCost12() {
        PasswordHasher hasher = PasswordHasher.defaultHasher();
        assertThat(hasher.scheme()).isEqualTo(Scheme.BCRYPT);
        assertThat(hasher.hash(PASSWORD)).startsWith("$2b$12$");
    }

    @Test
    void schemesHaveLabels() {
        assertThat(Scheme.fromLabel("pbkdf2-sha256")).isEqualTo(Scheme.PBKDF2_SHA256);
        assertThat(PasswordHasher.of(Scheme.SCRYPT).scheme()).isEqualTo(Scheme.SCRYPT);
        assertThatThrownBy(() -> Scheme.fromLabel("md5")).hasMessageContaining("expected bcrypt, pbkdf2-sha256 or scrypt");
    }

    @Test
    void bcryptRefusesWhatItWouldSilentlyCut() {
        assertThatThrownBy(() -> PasswordHasher.bcrypt(4).hash("x".repeat(73).toCharArray()))
                .hasMessageContaining("first 72 bytes");
        assertThat(PasswordHasher.matches(PasswordHasher.pbkdf2Sha256(1000).hash("x".repeat(100).toCharArray()),
                "x".repeat(100).toCharArray())).isTrue();
    }

    @Test
    void badWorkFactorsAndEmptyPasswordsAreRefused() {
        assertThatThrownBy(() -> PasswordHasher.bcrypt(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.pbkdf2Sha256(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.scrypt(30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.bcrypt(4).hash(new char[0])).hasMessage("empty password");
    }

    @Test
    void aMalformedStoredHashNeverMatches() {
        assertThat(PasswordHasher.matches("plain", "plain".toCharArray())).isFalse();
    }
}
