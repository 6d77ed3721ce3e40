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
 * @param tlsReport true for the relay's own TLS report mail (RFC 8460 section 5.3): delivered
 *     despite TLS policy failures, and its sessions are not counted in the next report. Not a
 *     MAIL FROM parameter; it is kept in the spool with the others and never sent.
 */
public record MailParameters(
        OptionalLong declaredSize,
        BodyType body,
        boolean smtpUtf8,
        Optional<DsnReturn> ret,
        Optional<String> envelopeId,
        boolean requireTls,
        boolean tlsReport) {

    public static final MailParameters NONE =
            new MailParameters(OptionalLong.empty(), BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty());

    /** Parameters a client can give, without REQUIRETLS; not a TLS report. */
    public MailParameters(OptionalLong declaredSize, BodyType body, boolean smtpUtf8, Optional<DsnReturn> ret,
            Optional<String> envelopeId) {
        this(declaredSize, body, smtpUtf8, ret, envelopeId, false, false);
    }

    /** The same parameters with REQUIRETLS given or not. */
    public MailParameters withRequireTls(boolean required) {
        return new MailParameters(declaredSize, body, smtpUtf8, ret, envelopeId, required, tlsReport);
    }

    /** The same parameters on a TLS report (see {@link #tlsReport()}). */
    public MailParameters asTlsReport() {
        return new MailParameters(declaredSize, body, smtpUtf8, ret, envelopeId, requireTls, true);
    }

    public MailParameters {
        Objects.requireNonNull(declaredSize, "declaredSize");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(ret, "ret");
        Objects.requireNonNull(envelopeId, "envelopeId");
    }
}
