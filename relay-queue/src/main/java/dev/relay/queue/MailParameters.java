package dev.relay.queue;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The MAIL FROM parameters that must travel with the message to the next hop.
 *
 * @param declaredSize SIZE= as the client declared it
 * @param body BODY=, 7BIT when absent
 * @param smtpUtf8 whether SMTPUTF8 was given
 * @param ret RET=, for DSNs
 * @param envelopeId ENVID=, kept in its xtext-decoded form
 */
public record MailParameters(
        OptionalLong declaredSize,
        BodyType body,
        boolean smtpUtf8,
        Optional<DsnReturn> ret,
        Optional<String> envelopeId) {

    public static final MailParameters NONE =
            new MailParameters(OptionalLong.empty(), BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty());

    public MailParameters {
        Objects.requireNonNull(declaredSize, "declaredSize");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(ret, "ret");
        Objects.requireNonNull(envelopeId, "envelopeId");
    }
}
