package dev.relay.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.BodyType;
import dev.relay.queue.DsnReturn;
import dev.relay.queue.MailParameters;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** How much of the original a DSN returns. */
class DsnSettingsTest {

    private final DsnSettings settings = DsnSettings.of("relay.test", Duration.ofDays(5));

    @Test
    void aRequireTlsOriginalComesBackAsHeadersWhateverRetAsked() {
        MailParameters full = new MailParameters(OptionalLong.empty(), BodyType.SEVEN_BIT, false,
                Optional.of(DsnReturn.FULL), Optional.empty());

        assertThat(settings.returnFor(DsnKind.FAILURE, full, 100)).isEqualTo(ReturnForm.FULL);
        assertThat(settings.returnFor(DsnKind.FAILURE, MailParameters.NONE, 100)).isEqualTo(ReturnForm.FULL);
        // RFC 8689 section 5: as if RET=HDRS
        assertThat(settings.returnFor(DsnKind.FAILURE, full.withRequireTls(true), 100)).isEqualTo(ReturnForm.HEADERS);
        assertThat(settings.returnFor(DsnKind.FAILURE, MailParameters.NONE.withRequireTls(true), 100))
                .isEqualTo(ReturnForm.HEADERS);
    }
}
