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
 * @param requireTls whether REQUIRETLS was given (RFC 8689): the message goes on only over
 *     authenticated TLS to a next hop that takes REQUIRETLS too
 */
public record MailParameters(
        OptionalLong declaredSize,
        BodyType body,
        boolean smtpUtf8,
        Optional<DsnReturn> ret,
        Optional<String> envelopeId,
        boolean requireTls) {

    public static final MailParameters NONE =
            new MailParameters(OptionalLong.empty(), BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty());

    /** Parameters without REQUIRETLS. */
    public MailParameters(OptionalLong declaredSize, BodyType body, boolean smtpUtf8, Optional<DsnReturn> ret,
            Optional<String> envelopeId) {
        this(declaredSize, body, smtpUtf8, ret, envelopeId, false);
    }

    /** The same parameters with REQUIRETLS given or not. */
    public MailParameters withRequireTls(boolean required) {
        return new MailParameters(declaredSize, body, smtpUtf8, ret, envelopeId, required);
    }

    public MailParameters {
        Objects.requireNonNull(declaredSize, "declaredSize");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(ret, "ret");
        Objects.requireNonNull(envelopeId, "envelopeId");
    }
}
