package dev.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vectors made by other implementations: OpenBSD's bcrypt test suite, Apache's htpasswd -B,
 * and Python's hashlib (pbkdf2_hmac, scrypt) written in passlib's format.
 */
class StoredHashTest {

    private static final String X80 = "x".repeat(80);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // OpenBSD's own vector
        "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW | U*U",
        // htpasswd -bnBC 5 alice 'correct horse'
        "$2y$05$8LFsrlQmqAB16qkMuCJ8ZOAt3Y.c/EmajOmzwNDds24MV6R44acv6 | correct horse",
        // python3: hashlib.pbkdf2_hmac('sha256', b'correct horse', bytes(range(16)), 29000)
        "$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$ZvLORN3Wu1.2s6Mb0kBKZ43bylSsC/t0Vz5rE9nJPNg | correct horse",
        "$pbkdf2-sha512$25000$AAECAwQFBgcICQoLDA0ODw$/XMGbqJ5JbL/BmJp92Ndi7MewO2VN8Oczs.vhYJS.Lc0zmsZAT3fC18BZiDH.3AlIgF9gCUb7j2gexu10cbNGg | pässwörd",
        // python3: hashlib.scrypt(..., n=1024, r=8, p=1, dklen=32) and n=16, r=2, p=3
        "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$nfkj3u1fRTHCea.fVr03sWV770kp5wLOLoEakziKhqE | correct horse",
        "$scrypt$ln=4,r=2,p=3$AAECAwQFBgc$GSa4lD4LNz6yJSyLkORVyJPm/e.H6y.WLXaPJEKF7NA | pässwörd",
    })
    void foreignVectorsVerifyTheRightPasswordOnly(String hash, String password) {
        StoredHash stored = StoredHash.parse(hash);
        assertThat(stored.matches(password.toCharArray())).isTrue();
        assertThat(stored.matches((password + "!").toCharArray())).isFalse();
        assertThat(stored.matches(password.substring(1).toCharArray())).isFalse();
        assertThat(stored.matches(new char[0])).isFalse();
    }

    @Test
    void bcryptCountsTheFirst72BytesAsOpenBsdDoes() {
        // htpasswd -bnBC 5 long <80 x>
        StoredHash stored = StoredHash.parse("$2y$05$3CJ1yzWVIhFLjKqc3py11e0jW3Gw/LhZj8Y7N9fQMO6NoY02GpKsu");
        assertThat(stored.matches(X80.toCharArray())).isTrue();
        assertThat(stored.matches(X80.substring(0, 72).toCharArray())).isTrue();
        assertThat(stored.matches(X80.substring(0, 71).toCharArray())).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "secret | plain text is refused",
        "$1$abc$def | unknown hash scheme \"$1$\"",
        "$argon2id$v=19$m=65536 | unknown hash scheme \"$argon2id$\"",
        "$2b$12$tooShort | malformed bcrypt hash",
        "$2b$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW | bcrypt cost 3 out of range 4-31",
        "$2b$32$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW | bcrypt cost 32 out of range 4-31",
        "$pbkdf2-sha256$100$AAECAwQFBgcICQoLDA0ODw$ZvLORN3Wu1.2s6Mb0kBKZ43bylSsC/t0Vz5rE9nJPNg | PBKDF2 iterations 100 out of range",
        "$pbkdf2-sha256$29000$AAEC$ZvLORN3Wu1.2s6Mb0kBKZ43bylSsC/t0Vz5rE9nJPNg | salt under 8 bytes",
        "$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw | malformed PBKDF2 hash",
        "$pbkdf2-md5$29000$AAECAwQFBgcICQoLDA0ODw$ZvLORN3Wu1 | unknown hash scheme",
        "$scrypt$ln=20,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$nfkj3u1fRTHCea.fVr03sWV770kp5wLOLoEakziKhqE | need 1024 MB per check",
        "$scrypt$ln=10,r=0,p=1$AAECAwQFBgcICQoLDA0ODw$nfkj3u1fRTHCea.fVr03sWV770kp5wLOLoEakziKhqE | out of range",
        "$scrypt$n=1024$AAECAwQFBgcICQoLDA0ODw$nfkj3u1fRTHCea.fVr03sWV770kp5wLOLoEakziKhqE | malformed scrypt hash",
        "$scrypt$ln=10,r=8,p=1$A$nfkj3u1fRTHCea.fVr03sWV770kp5wLOLoEakziKhqE | malformed salt",
    })
    void badHashesAreRefusedWithoutShowingThem(String hash, String reason) {
        assertThatThrownBy(() -> StoredHash.parse(hash))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(hash.length() > 12 ? hash.substring(8) : hash));
    }
}
