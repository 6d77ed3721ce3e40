package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.BodyType;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.RecipientAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Equal envelope values are kept once, and sharing never changes an envelope's value. */
class SharedValuesTest {

    private static Envelope envelope(String sender, String client, String helo, MailParameters parameters) {
        // new String(...): equal values in distinct instances, as two parsed records give them
        return new Envelope(new String(sender), List.of(RecipientAddress.of("rcpt@dest.test")), parameters,
                Instant.parse("2026-03-01T10:00:00Z"), new String(client), new String(helo), Optional.of(new String("alice")));
    }

    @Test
    void equalStringsAndDefaultParametersBecomeOneInstanceAndTheEnvelopeStaysEqual() {
        SharedValues shared = new SharedValues();
        MailParameters none = new MailParameters(OptionalLong.empty(), BodyType.SEVEN_BIT, false, Optional.empty(),
                Optional.empty());
        Envelope first = envelope("app@origin.test", "192.0.2.1", "app.origin.test", none);
        Envelope second = envelope("app@origin.test", "192.0.2.1", "app.origin.test", none);
        assertThat(first.sender()).isNotSameAs(second.sender());

        Envelope a = shared.share(first);
        Envelope b = shared.share(second);

        assertThat(a).isEqualTo(first);
        assertThat(b).isEqualTo(second);
        assertThat(b.sender()).isSameAs(a.sender());
        assertThat(b.clientAddress()).isSameAs(a.clientAddress());
        assertThat(b.heloName()).isSameAs(a.heloName());
        assertThat(b.authenticatedUser().orElseThrow()).isSameAs(a.authenticatedUser().orElseThrow());
        assertThat(a.parameters()).isSameAs(MailParameters.NONE);
    }

    @Test
    void otherParametersAreKeptAsTheyAre() {
        SharedValues shared = new SharedValues();
        MailParameters eightBit = new MailParameters(OptionalLong.of(100), BodyType.EIGHT_BIT_MIME, false,
                Optional.empty(), Optional.empty());
        Envelope envelope = envelope("app@origin.test", "192.0.2.1", "app.origin.test", eightBit);
        assertThat(shared.share(envelope).parameters()).isSameAs(eightBit);
    }

    @Test
    void theTableStartsAfreshAtItsLimitAndStillSharesWhatComesNext() {
        SharedValues shared = new SharedValues();
        for (int i = 0; i < SharedValues.LIMIT; i++) {
            shared.string("value" + i);
        }
        String kept = shared.string(new String("after the limit"));
        assertThat(shared.string(new String("after the limit"))).isSameAs(kept);
        assertThat(shared.string("value1")).isEqualTo("value1");
    }
}
