package dev.relay.dsn;

import dev.relay.outcome.Cause;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Source;
import dev.relay.outcome.TestOutcomes;
import dev.relay.outcome.TlsFacts;
import dev.relay.queue.BodyType;
import dev.relay.queue.DsnNotify;
import dev.relay.queue.DsnReturn;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Queued messages in a chosen state, built by hand, for the DSN tests. */
final class DsnFixture {
    static final String HOST = "relay.example.net";
    static final Instant ARRIVAL = Instant.parse("2026-01-05T10:00:00Z");
    static final Instant FAILED_AT = Instant.parse("2026-01-05T10:05:00Z");
    static final Instant NOW = Instant.parse("2026-01-05T10:06:00Z");
    static final QueueId ID = new QueueId("0A1B2C3D4E5F");
    static final DsnSettings SETTINGS = DsnSettings.of(HOST, Duration.ofDays(5));
    /** The recipient's MX that gave the remote replies. */
    static final String MX = "mx.example.com";

    static final String ORIGINAL = String.join("\r\n",
            "Received: from client.example.org ([192.0.2.7]) by relay.example.net with ESMTP id 0A1B2C3D4E5F",
            "From: Alice <alice@example.org>",
            "To: Bob <bob@example.com>",
            "Subject: Quarterly figures",
            "Message-ID: <q1@example.org>",
            "",
            "Hello Bob,",
            "",
            "the figures are attached.",
            "--=_dsn_not-the-boundary",
            "") ;

    static byte[] original() {
        return ORIGINAL.getBytes(StandardCharsets.UTF_8);
    }

    private String sender = "alice@example.org";
    private MailParameters parameters = MailParameters.NONE;
    private final List<RecipientAddress> recipients = new ArrayList<>();
    private final List<RecipientStatus> statuses = new ArrayList<>();
    private long size = ORIGINAL.length();
    private int attempts = 3;

    static DsnFixture message() {
        return new DsnFixture();
    }

    DsnFixture sender(String address) {
        this.sender = address;
        return this;
    }

    DsnFixture size(long bytes) {
        this.size = bytes;
        return this;
    }

    DsnFixture ret(DsnReturn ret) {
        parameters = new MailParameters(parameters.declaredSize(), parameters.body(), parameters.smtpUtf8(),
                Optional.of(ret), parameters.envelopeId());
        return this;
    }

    DsnFixture envelopeId(String envid) {
        parameters = new MailParameters(parameters.declaredSize(), parameters.body(), parameters.smtpUtf8(),
                parameters.ret(), Optional.of(envid));
        return this;
    }

    DsnFixture smtpUtf8() {
        parameters = new MailParameters(OptionalLong.empty(), BodyType.EIGHT_BIT_MIME, true, parameters.ret(),
                parameters.envelopeId());
        return this;
    }

    DsnFixture body(BodyType body) {
        parameters = new MailParameters(OptionalLong.empty(), body, parameters.smtpUtf8(), parameters.ret(),
                parameters.envelopeId());
        return this;
    }

    /** Refused by the remote server {@link #MX}, whose reply this line is. */
    DsnFixture failed(String address, String reply) {
        return failed(address, new Outcome.Failed(TestOutcomes.reply(reply), remote(), TlsFacts.none(), Cause.REMOTE_REPLY));
    }

    /** Failed with this outcome (a remote verdict, the relay's own, or an expiry). */
    DsnFixture failed(String address, Outcome.Failed outcome) {
        return recipient(RecipientAddress.of(address), new RecipientStatus.Failed(FAILED_AT, outcome));
    }

    /** Deferred by the remote server {@link #MX}. */
    DsnFixture deferred(String address, String reply) {
        return deferred(address, remoteDeferral(reply));
    }

    DsnFixture deferred(String address, Outcome.Deferred outcome) {
        return recipient(RecipientAddress.of(address), new RecipientStatus.Deferred(NOW.plusSeconds(900), outcome));
    }

    DsnFixture delivered(String address, String reply) {
        return recipient(RecipientAddress.of(address), new RecipientStatus.Delivered(FAILED_AT,
                new Outcome.Delivered(TestOutcomes.reply(reply), remote(), TlsFacts.none())));
    }

    /** A temporary reply of {@link #MX}. */
    static Outcome.Deferred remoteDeferral(String reply) {
        return new Outcome.Deferred(TestOutcomes.reply(reply), remote(), TlsFacts.none(), Cause.REMOTE_REPLY);
    }

    private static Source remote() {
        return Source.remote(MX, Optional.of("192.0.2.10"));
    }

    DsnFixture recipient(RecipientAddress address, RecipientStatus status) {
        recipients.add(address);
        statuses.add(status);
        return this;
    }

    static RecipientAddress withNotify(String address, DsnNotify... notify) {
        return new RecipientAddress(address, Set.of(notify), Optional.empty());
    }

    QueuedMessage build() {
        Envelope envelope = new Envelope(sender, recipients, parameters, ARRIVAL, "192.0.2.7", "client.example.org",
                Optional.empty());
        return new QueuedMessage(ID, envelope, statuses, size, attempts, false);
    }
}
