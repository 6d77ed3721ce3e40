package dev.relay.dsn;

import static dev.relay.dsn.DsnFixture.ID;
import static dev.relay.dsn.DsnFixture.NOW;
import static dev.relay.dsn.DsnFixture.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.outcome.AppliedPolicy;
import dev.relay.outcome.Cause;
import dev.relay.outcome.EnhancedStatus;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Reply;
import dev.relay.outcome.Source;
import dev.relay.outcome.TestOutcomes;
import dev.relay.outcome.TlsFacts;
import dev.relay.queue.BodyType;
import dev.relay.queue.DsnNotify;
import dev.relay.queue.DsnReturn;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import dev.relay.testkit.RepeatedLines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Compose DSNs from queued messages in chosen states, read them back with Jakarta Mail. */
class DsnComposerTest {
    private static final String PER_MESSAGE = String.join("\r\n",
            "Reporting-MTA: dns; relay.example.net",
            "X-Relay-Queue-ID: 0A1B2C3D4E5F",
            "Arrival-Date: Mon, 5 Jan 2026 10:00:00 +0000",
            "");

    private final DsnComposer composer = new DsnComposer(SETTINGS);

    /** The delivery-status part of a DSN about bob alone: the per-message fields, then his. */
    private static String fieldsOfBob(String... fields) {
        return PER_MESSAGE + "\r\nFinal-Recipient: rfc822; bob@example.com\r\n" + String.join("\r\n", fields);
    }

    private ParsedDsn compose(QueuedMessage message, DsnKind kind, List<Integer> recipients) {
        DsnMessage dsn = DsnMessage.of(message, kind, recipients, SETTINGS, NOW);
        return ParsedDsn.of(composer.compose(dsn, new ByteArrayInputStream(DsnFixture.original())));
    }

    private ParsedDsn failure(QueuedMessage message) {
        return compose(message, DsnKind.FAILURE, List.of(0));
    }

    @Test
    void aRemoteRejection() throws Exception {
        ParsedDsn dsn = failure(DsnFixture.message()
                .failed("bob@example.com", "550 5.1.1 <bob@example.com>:"
                        + " Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)")
                .build());

        assertThat(dsn.partCount()).isEqualTo(3);
        assertThat(dsn.part(0).isMimeType("text/plain")).isTrue();
        assertThat(dsn.part(1).isMimeType("message/delivery-status")).isTrue();
        assertThat(dsn.part(2).isMimeType("message/rfc822")).isTrue();
        assertThat(dsn.rawText(1)).isEqualTo(fieldsOfBob(
                "Action: failed",
                "Status: 5.1.1",
                "Remote-MTA: dns; mx.example.com",
                "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.com>: Recipient address",
                " rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)",
                "Last-Attempt-Date: Mon, 5 Jan 2026 10:05:00 +0000",
                ""));
        assertThat(dsn.words()).contains("<bob@example.com>: The recipient's mail server (mx.example.com) says this"
                + " address does not exist. The last reply, from mx.example.com, was: 550 5.1.1 <bob@example.com>:")
                .doesNotContain(Explanation.LOCAL);
    }

    @Test
    void aSizeLimitTheRelayCheckedItselfNamesNoRemoteMta() throws Exception {
        ParsedDsn dsn = failure(DsnFixture.message().failed("bob@example.com", TestOutcomes.localFailure(552,
                EnhancedStatus.MESSAGE_TOO_BIG, "message size 5000 exceeds size limit 1000 of server"
                        + " mx.example.com[192.0.2.10]:25", Cause.MESSAGE_TOO_BIG)).build());

        assertThat(dsn.rawText(1)).isEqualTo(fieldsOfBob(
                "Action: failed",
                "Status: 5.3.4",
                "Diagnostic-Code: X-Relay; 552 5.3.4 message size 5000 exceeds size limit 1000",
                " of server mx.example.com[192.0.2.10]:25",
                "Last-Attempt-Date: Mon, 5 Jan 2026 10:05:00 +0000",
                ""));
        assertThat(dsn.words()).contains("<bob@example.com>: The message is larger than the recipient's mail server"
                + " accepts. " + Explanation.LOCAL + " The error was: 552 5.3.4 message size 5000");
    }

    @Test
    void anSmtpUtf8CheckTheRelayMadeItselfNamesNoRemoteMta() throws Exception {
        ParsedDsn dsn = failure(DsnFixture.message().failed("bob@example.com", TestOutcomes.localFailure(553,
                EnhancedStatus.NON_ASCII_ADDRESSES, "SMTPUTF8 is required, but was not offered by host"
                        + " mx.example.com[192.0.2.10]:25", Cause.SMTPUTF8_UNSUPPORTED)).build());

        assertThat(dsn.rawText(1)).doesNotContain("Remote-MTA")
                .contains("Status: 5.6.7\r\n")
                .contains("Diagnostic-Code: X-Relay; 553 5.6.7 SMTPUTF8 is required, but was not offered\r\n by host");
        assertThat(dsn.words()).contains("(SMTPUTF8), which the recipient's mail server does not support. "
                + Explanation.LOCAL);
    }

    @Test
    void aLocalVerdictIsNotBlamedOnTheServer() throws Exception {
        ParsedDsn dsn = failure(DsnFixture.message().failed("bob@example.com", TestOutcomes.localFailure(553,
                EnhancedStatus.BAD_RECIPIENT_SYNTAX, "the recipient address cannot be sent over SMTP as stored",
                Cause.ADDRESS_NOT_SENDABLE)).build());

        assertThat(dsn.words()).contains("<bob@example.com>: An address of the message cannot be written in the mail"
                        + " protocol. " + Explanation.LOCAL)
                .doesNotContain("mail server rejected");
    }

    @Test
    void theMessageHeaderFields() throws Exception {
        ParsedDsn dsn = failure(DsnFixture.message().failed("bob@example.com", "550 5.1.1 no such user").build());

        assertThat(dsn.header("From")).isEqualTo("Mail Delivery System <MAILER-DAEMON@relay.example.net>");
        assertThat(dsn.header("To")).isEqualTo("<alice@example.org>");
        assertThat(dsn.header("Subject")).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(dsn.header("Date")).isEqualTo("Mon, 5 Jan 2026 10:06:00 +0000");
        assertThat(dsn.header("Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(dsn.header("MIME-Version")).isEqualTo("1.0");
        assertThat(dsn.header("Message-ID")).matches("<[0-9a-f]{16}\\.\\d+@relay\\.example\\.net>");
        assertThat(dsn.message.getContentType()).startsWith("multipart/report; report-type=delivery-status;");
        assertThat(dsn.header("Content-Transfer-Encoding")).isEqualTo("7bit");
        String boundary = dsn.message.getContentType().replaceAll("(?s).*boundary=\"([^\"]+)\".*", "$1");
        assertThat(boundary).hasSizeGreaterThanOrEqualTo(32);
        // the boundary occurs only as delimiters: three openings and the close
        assertThat(dsn.text().split(java.util.regex.Pattern.quote(boundary), -1)).hasSize(1 + 1 + 4);
    }

    @Test
    void anExpiredDeferralAfterConnectionFailuresNamesNoRemoteMta() throws Exception {
        ParsedDsn dsn = failure(DsnFixture.message()
                .failed("bob@example.com", TestOutcomes.localDeferral(451, EnhancedStatus.NO_ANSWER,
                        "connect to mx.example.com[192.0.2.10]:25: Connection refused", Cause.CONNECT_FAILED).expire())
                .build());

        assertThat(dsn.rawText(1)).isEqualTo(fieldsOfBob(
                "Action: failed",
                "Status: 4.4.7",
                "Diagnostic-Code: X-Relay; 451 4.4.1 connect to mx.example.com[192.0.2.10]:25:",
                " Connection refused",
                "Last-Attempt-Date: Mon, 5 Jan 2026 10:05:00 +0000",
                ""));
        assertThat(dsn.words()).contains("The message could not be delivered within 5 days, so the relay has stopped"
                + " trying. No mail server of the recipient's domain could be reached. " + Explanation.LOCAL
                + " The error was: 451 4.4.1 connect to");
    }

    @Test
    void anExpiredDeferralWhoseLastReplyCameFromTheServerNamesIt() throws Exception {
        ParsedDsn dsn = failure(DsnFixture.message()
                .failed("bob@example.com", DsnFixture.remoteDeferral("452 4.2.2 mailbox full, try later").expire())
                .build());

        assertThat(dsn.rawText(1)).isEqualTo(fieldsOfBob(
                "Action: failed",
                "Status: 4.4.7",
                "Remote-MTA: dns; mx.example.com",
                "Diagnostic-Code: smtp; 452 4.2.2 mailbox full, try later",
                "Last-Attempt-Date: Mon, 5 Jan 2026 10:05:00 +0000",
                ""));
        assertThat(dsn.words()).contains("The last reply, from mx.example.com, was: 452 4.2.2 mailbox full");
    }

    @Test
    void anMtaStsDeferralThatExpiredIsExplainedInWords() throws Exception {
        String detail = "TLS with mx1.example.com[192.0.2.10]:25 failed (certificate-host-mismatch): no DNS-ID matches";
        Outcome.Deferred notMet = new Outcome.Deferred(Reply.of(451, EnhancedStatus.CRYPTOGRAPHIC_FAILURE,
                "MTA-STS policy of <example.com> (mode enforce) could not be met by any MX host: " + detail),
                Source.local(), TlsFacts.without(AppliedPolicy.MTA_STS_ENFORCE), Cause.STS_POLICY_NOT_MET,
                List.of(new HostProblem("mx1.example.com", Cause.CERTIFICATE_HOST_MISMATCH, detail)));
        ParsedDsn dsn = failure(DsnFixture.message().failed("bob@example.com", notMet.expire()).build());

        assertThat(dsn.rawText(1)).startsWith(fieldsOfBob(
                "Action: failed",
                "Status: 4.4.7",
                "Diagnostic-Code: X-Relay; 451 4.7.5 MTA-STS policy of <example.com> (mode"))
                .doesNotContain("Remote-MTA");
        assertThat(dsn.words())
                .contains("The message could not be delivered within 5 days")
                .contains("The recipient's domain example.com publishes an MTA-STS policy (RFC 8461) that requires"
                        + " its mail to go only to the mail servers the policy lists, over an encrypted (TLS)"
                        + " connection with a certificate valid for the server's name, and no MX host could meet it:"
                        + " mx1.example.com: the server's certificate is not valid for the server's name.")
                .doesNotContain(Explanation.LOCAL)
                .contains("The error was: 451 4.7.5 MTA-STS policy of <example.com>");
    }

    @Test
    void anExpiredDaneDeferralExplainsTheTlsaRecordsAndNamesEachHost() throws Exception {
        String detail = "TLS with mx1.example.com[192.0.2.10]:25 failed (tlsa-invalid): DANE: none of the 1 usable"
                + " TLSA records matches the server's certificate chain";
        Outcome.Deferred notMet = new Outcome.Deferred(Reply.of(451, EnhancedStatus.CRYPTOGRAPHIC_FAILURE,
                "no MX host of <example.com> could be used as its DANE (TLSA) records require: " + detail),
                Source.local(), TlsFacts.without(AppliedPolicy.DANE), Cause.TLSA_INVALID,
                List.of(new HostProblem("mx1.example.com", Cause.TLSA_INVALID, detail),
                        new HostProblem("mx2.example.com", Cause.DNSSEC_INVALID, "mx2.example.com: the TLSA records at"
                                + " _25._tcp.mx2.example.com fail DNSSEC validation")));
        ParsedDsn dsn = failure(DsnFixture.message().failed("bob@example.com", notMet.expire()).build());

        assertThat(dsn.rawText(1)).contains("Status: 4.4.7", "Diagnostic-Code: X-Relay; 451 4.7.5 no MX host of");
        assertThat(dsn.words())
                .contains("The mail servers of the recipient's domain example.com publish DANE records (TLSA records"
                        + " signed with DNSSEC, RFC 7672) that require an encrypted (TLS) connection to a server whose"
                        + " certificate matches them, and no MX host could meet them: mx1.example.com: the server's"
                        + " certificate does not match the domain's DANE (TLSA) records; mx2.example.com: the DNSSEC"
                        + " signatures of the domain's records could not be validated.")
                .doesNotContain("MTA-STS");
    }

    @Test
    void rewordingAReplyChangesNoClassification() throws Exception {
        // the facts, not the words, decide: the same cause with other text gives the same status and explanation
        Outcome.Failed worded = TestOutcomes.localFailure(552, EnhancedStatus.MESSAGE_TOO_BIG,
                "message size 5000 exceeds size limit 1000", Cause.MESSAGE_TOO_BIG);
        Outcome.Failed reworded = TestOutcomes.localFailure(552, EnhancedStatus.MESSAGE_TOO_BIG,
                "zu groß: das MTA-STS policy of other.example mentions certificate-expired", Cause.MESSAGE_TOO_BIG);
        ParsedDsn first = failure(DsnFixture.message().failed("bob@example.com", worded).build());
        ParsedDsn second = failure(DsnFixture.message().failed("bob@example.com", reworded).build());

        assertThat(second.rawText(1).lines().filter(l -> l.startsWith("Status:") || l.startsWith("Action:")))
                .containsExactlyElementsOf(first.rawText(1).lines()
                        .filter(l -> l.startsWith("Status:") || l.startsWith("Action:")).toList());
        assertThat(second.words()).contains("The message is larger than the recipient's mail server accepts.")
                .doesNotContain("publishes an MTA-STS policy").doesNotContain("certificate has expired");
    }

    @Test
    void orcptAndEnvidAreCarried() throws Exception {
        QueuedMessage message = DsnFixture.message()
                .envelopeId("QQ314159")
                .recipient(new RecipientAddress("bob@example.com", Set.of(),
                        Optional.of("rfc822;Bob.Original@Example.COM")),
                        new RecipientStatus.Failed(DsnFixture.FAILED_AT,
                                TestOutcomes.failed("550 5.1.1 no such user", Optional.of(DsnFixture.MX))))
                .recipient(new RecipientAddress("carol@example.com", Set.of(),
                        Optional.of("rfc822;carol smith\r\n@example.com")),
                        new RecipientStatus.Failed(DsnFixture.FAILED_AT,
                                TestOutcomes.failed("550 5.2.1 disabled", Optional.of("mx2.example.com"))))
                .build();
        ParsedDsn dsn = compose(message, DsnKind.FAILURE, List.of(0, 1));

        assertThat(dsn.rawText(1)).isEqualTo(String.join("\r\n",
                "Original-Envelope-Id: QQ314159",
                PER_MESSAGE,
                "Original-Recipient: rfc822; Bob.Original@Example.COM",
                "Final-Recipient: rfc822; bob@example.com",
                "Action: failed",
                "Status: 5.1.1",
                "Remote-MTA: dns; mx.example.com",
                "Diagnostic-Code: smtp; 550 5.1.1 no such user",
                "Last-Attempt-Date: Mon, 5 Jan 2026 10:05:00 +0000",
                "",
                // not printable as it came: back to xtext, never a line break in a field
                "Original-Recipient: rfc822; carol+20smith+0D+0A@example.com",
                "Final-Recipient: rfc822; carol@example.com",
                "Action: failed",
                "Status: 5.2.1",
                "Remote-MTA: dns; mx2.example.com",
                "Diagnostic-Code: smtp; 550 5.2.1 disabled",
                "Last-Attempt-Date: Mon, 5 Jan 2026 10:05:00 +0000",
                ""));
    }

    @Test
    void retHdrsAttachesTheHeaderOnly() throws Exception {
        ParsedDsn dsn = failure(DsnFixture.message().ret(DsnReturn.HDRS)
                .failed("bob@example.com", "550 5.1.1 no such user").build());

        assertThat(dsn.partCount()).isEqualTo(3);
        assertThat(dsn.part(2).isMimeType("text/rfc822-headers")).isTrue();
        String header = DsnFixture.ORIGINAL.substring(0, DsnFixture.ORIGINAL.indexOf("\r\n\r\n") + 2);
        assertThat(dsn.rawText(2)).isEqualTo(header);
        assertThat(dsn.text()).doesNotContain("the figures are attached");
        assertThat(dsn.words()).contains("The header of your message is attached.");
    }

    @Test
    void retFullAttachesTheWholeMessageByteForByte() throws Exception {
        ParsedDsn dsn = failure(DsnFixture.message().ret(DsnReturn.FULL)
                .failed("bob@example.com", "550 5.1.1 no such user").build());

        assertThat(dsn.part(2).isMimeType("message/rfc822")).isTrue();
        assertThat(dsn.raw(2)).isEqualTo(DsnFixture.original());
        jakarta.mail.internet.MimeMessage returned = (jakarta.mail.internet.MimeMessage) dsn.part(2).getContent();
        assertThat(returned.getSubject()).isEqualTo("Quarterly figures");
    }

    @Test
    void retFullOverTheLimitAndLargeMessagesWithoutRetGetTheHeaderOnly() throws Exception {
        ParsedDsn big = failure(DsnFixture.message().ret(DsnReturn.FULL).size(DsnSettings.DEFAULT_FULL_RETURN_LIMIT + 1)
                .failed("bob@example.com", "550 5.1.1 no such user").build());
        assertThat(big.part(2).isMimeType("text/rfc822-headers")).isTrue();

        ParsedDsn unasked = failure(DsnFixture.message().size(DsnSettings.DEFAULT_UNREQUESTED_RETURN_LIMIT + 1)
                .failed("bob@example.com", "550 5.1.1 no such user").build());
        assertThat(unasked.part(2).isMimeType("text/rfc822-headers")).isTrue();

        ParsedDsn small = failure(DsnFixture.message().failed("bob@example.com", "550 5.1.1 no such user").build());
        assertThat(small.part(2).isMimeType("message/rfc822")).isTrue();
    }

    @Test
    void anSmtpUtf8OriginalComesBackAsMessageGlobal() throws Exception {
        QueuedMessage message = DsnFixture.message().smtpUtf8().ret(DsnReturn.FULL).sender("andré@example.org")
                .failed("jörg@example.de", "550 5.1.1 Empfänger unbekannt")
                .failed("bob@example.com", "550 5.1.1 no such user")
                .build();
        DsnMessage plan = DsnMessage.of(message, DsnKind.FAILURE, List.of(0, 1), SETTINGS, NOW);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DsnComposer.Composed composed = composer.compose(plan, new ByteArrayInputStream(DsnFixture.original()), out);
        ParsedDsn dsn = ParsedDsn.of(out.toByteArray());

        assertThat(composed.bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
        assertThat(dsn.message.getContentType()).contains("report-type=global-delivery-status");
        assertThat(dsn.part(1).isMimeType("message/global-delivery-status")).isTrue();
        assertThat(dsn.part(2).isMimeType("message/global")).isTrue();
        assertThat(dsn.raw(2)).isEqualTo(DsnFixture.original());
        assertThat(dsn.text()).contains("To: <andré@example.org>");
        assertThat(dsn.rawText(1))
                .contains("Final-Recipient: utf-8; jörg@example.de\r\n")
                .contains("Diagnostic-Code: smtp; 550 5.1.1 Empfänger unbekannt\r\n")
                .contains("Final-Recipient: rfc822; bob@example.com\r\n");
    }

    @Test
    void anSmtpUtf8OriginalWithAsciiReportKeepsTheClassicStatusPart() throws Exception {
        ParsedDsn dsn = failure(DsnFixture.message().smtpUtf8().ret(DsnReturn.HDRS)
                .failed("bob@example.com", "550 5.1.1 no such user").build());

        assertThat(dsn.part(1).isMimeType("message/delivery-status")).isTrue();
        assertThat(dsn.part(2).isMimeType("message/global-headers")).isTrue();
    }

    @Test
    void withoutSmtpUtf8EverythingIsSevenBit() throws Exception {
        QueuedMessage message = DsnFixture.message().ret(DsnReturn.HDRS)
                .failed("bob@example.com", "550 5.1.1 Empfänger\u000bunbekannt\u0000 \u2014 bye")
                .build();
        DsnMessage plan = DsnMessage.of(message, DsnKind.FAILURE, List.of(0), SETTINGS, NOW);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DsnComposer.Composed composed = composer.compose(plan, new ByteArrayInputStream(DsnFixture.original()), out);
        ParsedDsn dsn = ParsedDsn.of(out.toByteArray());

        assertThat(composed.bodyType()).isEqualTo(BodyType.SEVEN_BIT);
        for (byte b : dsn.bytes) {
            assertThat(b & 0xff).isLessThan(0x80);
        }
        assertThat(dsn.rawText(1)).contains("Diagnostic-Code: smtp; 550 5.1.1 Empf\\x{E4}nger unbekannt \\x{2014} bye\r\n");
    }

    @Test
    void hostileReasonsCannotBreakLinesOrAddFields() throws Exception {
        String word = "x".repeat(3000);
        ParsedDsn dsn = failure(DsnFixture.message()
                .failed("bob@example.com", "550 5.7.1 bad\u2028Action: delivered\u0085Status: 2.0.0\u000b\u000c" + word)
                .build());

        String status = dsn.rawText(1);
        assertThat(status.lines().filter(l -> l.startsWith("Action:"))).containsExactly("Action: failed");
        assertThat(status.lines().filter(l -> l.startsWith("Status:"))).containsExactly("Status: 5.7.1");
        assertThat(status).contains("Diagnostic-Code: smtp; 550 5.7.1 bad Action: delivered Status: 2.0.0\r\n x");
        assertThat(dsn.words()).contains("The last reply, from mx.example.com, was: 550 5.7.1 bad Action: delivered"
                + " Status: 2.0.0 xxx");
    }

    @Test
    void aDelayWarning() throws Exception {
        ParsedDsn dsn = compose(DsnFixture.message()
                .deferred("bob@example.com", TestOutcomes.localDeferral(451, EnhancedStatus.DIRECTORY_FAILURE,
                        "DNS lookup for <example.com> failed: SERVFAIL", Cause.DNS_LOOKUP_FAILED)).build(),
                DsnKind.DELAY, List.of(0));

        assertThat(dsn.header("Subject")).isEqualTo("Delayed Mail (still being retried)");
        assertThat(dsn.rawText(1)).isEqualTo(fieldsOfBob(
                "Action: delayed",
                "Status: 4.4.3",
                "Diagnostic-Code: X-Relay; 451 4.4.3 DNS lookup for <example.com> failed:",
                " SERVFAIL",
                "Last-Attempt-Date: Mon, 5 Jan 2026 10:06:00 +0000",
                "Will-Retry-Until: Sat, 10 Jan 2026 10:00:00 +0000",
                ""));
        // a warning returns the header only, whatever RET says
        assertThat(dsn.part(2).isMimeType("text/rfc822-headers")).isTrue();
        assertThat(dsn.words())
                .contains("This is only a warning")
                .contains("6 minutes after the relay accepted it")
                .contains("will go on until Sat, 10 Jan 2026 10:00:00 +0000")
                .contains("could not be looked up in the DNS");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "PT4H | 4 hours",
            "PT4H10M30S | 4 hours 10 minutes",
            "P2DT3H59M | 2 days 3 hours",
            "P1DT5M | 1 day",
            "PT1M | 1 minute",
            "PT20S | 20 seconds",
    })
    void timeWaitedInWords(java.time.Duration waited, String words) {
        assertThat(Explanation.elapsed(waited)).isEqualTo(words);
    }

    @Test
    void aSuccessReportForARelayedRecipient() throws Exception {
        ParsedDsn dsn = compose(DsnFixture.message()
                .recipient(DsnFixture.withNotify("bob@example.com", DsnNotify.SUCCESS),
                        new RecipientStatus.Delivered(DsnFixture.FAILED_AT,
                                TestOutcomes.delivered("250 2.0.0 Ok: queued as 4Xy", Optional.of(DsnFixture.MX))))
                .build(), DsnKind.SUCCESS, List.of(0));

        assertThat(dsn.header("Subject")).isEqualTo("Successful Mail Delivery Report");
        assertThat(dsn.rawText(1)).contains("Action: relayed\r\nStatus: 2.0.0\r\nRemote-MTA: dns; mx.example.com\r\n"
                + "Diagnostic-Code: smtp; 250 2.0.0 Ok: queued as 4Xy\r\n");
    }

    @Test
    void oneDsnCoversEveryRecipientGivenInEnvelopeOrder() throws Exception {
        QueuedMessage message = DsnFixture.message()
                .failed("a@example.com", "550 5.1.1 no such user")
                .deferred("b@example.com", "451 4.4.1 later")
                .failed("c@example.net", "552 5.2.2 mailbox full")
                .build();
        ParsedDsn dsn = compose(message, DsnKind.FAILURE, List.of(2, 0));

        assertThat(dsn.rawText(1).split("Final-Recipient: ", -1)).hasSize(3);
        assertThat(dsn.rawText(1).indexOf("a@example.com")).isLessThan(dsn.rawText(1).indexOf("c@example.net"));
        assertThat(dsn.words()).contains("<c@example.net>: The recipient's mailbox is full.");
    }

    @Test
    void aReportWithoutTheOriginalHasTwoParts() throws Exception {
        DsnMessage plan = DsnMessage.of(DsnFixture.message().failed("bob@example.com", "550 5.1.1 no").build(),
                DsnKind.FAILURE, List.of(0), SETTINGS, NOW).withoutOriginal();
        ParsedDsn dsn = ParsedDsn.of(composer.compose(plan, InputStream.nullInputStream()));

        assertThat(dsn.partCount()).isEqualTo(2);
        assertThat(dsn.words()).contains("could no longer be read");
    }

    @Test
    void aBinaryMimeOriginalComesBackAsHeaders() throws Exception {
        ParsedDsn dsn = failure(DsnFixture.message().ret(DsnReturn.FULL).body(BodyType.BINARY_MIME)
                .failed("bob@example.com", "550 5.1.1 no").build());
        assertThat(dsn.part(2).isMimeType("text/rfc822-headers")).isTrue();
    }

    @Test
    void theNullSenderNeverGetsADsn() {
        QueuedMessage bounce = DsnFixture.message().sender("").failed("bob@example.com", "550 5.1.1 no").build();
        assertThatThrownBy(() -> DsnMessage.of(bounce, DsnKind.FAILURE, List.of(0), SETTINGS, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null sender");
    }

    @Test
    void aRecipientNotInTheKindsStateIsRefused() {
        QueuedMessage message = DsnFixture.message().deferred("bob@example.com", "451 4.4.1 later").build();
        assertThatThrownBy(() -> DsnMessage.of(message, DsnKind.FAILURE, List.of(0), SETTINGS, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Deferred");
    }

    @Test
    void headerCopyStopsAtTheBlankLineAndRepairsLineEnds() throws IOException {
        String long1500 = "X-Long: " + "y".repeat(1500);
        byte[] in = ("A: 1\nB: 2\r\n" + long1500 + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DsnComposer.copyHeader(new ByteArrayInputStream(in), out);

        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("A: 1\r\nB: 2\r\n" + long1500.substring(0, 998) + "\r\n");

        ByteArrayOutputStream headerOnly = new ByteArrayOutputStream();
        DsnComposer.copyHeader(new ByteArrayInputStream("A: 1\r\nB: 2".getBytes(StandardCharsets.US_ASCII)), headerOnly);
        assertThat(headerOnly.toString(StandardCharsets.US_ASCII)).isEqualTo("A: 1\r\nB: 2\r\n");
    }

    @Test
    void aHugeHeaderSectionIsCutAtALineEnd() throws IOException {
        String line = "X-Filler: " + "z".repeat(88) + "\r\n"; // 100 octets
        byte[] in = (line.repeat(5000) + "\r\nbody").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DsnComposer.copyHeader(new ByteArrayInputStream(in), out);

        assertThat(out.size()).isLessThanOrEqualTo(DsnComposer.HEADER_LIMIT).isGreaterThan(DsnComposer.HEADER_LIMIT - 100);
        assertThat(out.size() % 100).isZero();
    }

    @Test
    void aLargeOriginalIsStreamedThrough() throws IOException {
        long size = 50L << 20;
        DsnSettings settings = new DsnSettings(DsnFixture.HOST, java.time.Duration.ofDays(5), 64L << 20, 0);
        DsnMessage plan = DsnMessage.of(DsnFixture.message().ret(DsnReturn.FULL).size(size)
                .failed("bob@example.com", "552 5.3.4 too big").build(), DsnKind.FAILURE, List.of(0), settings, NOW);
        assertThat(plan.returned()).isEqualTo(ReturnForm.FULL);
        byte[] line = "0123456789012345678901234567890123456789012345678901234567890123456789\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        InputStream generated = new RepeatedLines(line, size);
        long[] written = {0};
        java.io.OutputStream counting = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
            }
        };

        new DsnComposer(settings).compose(plan, generated, counting);

        assertThat(written[0]).isGreaterThan(size).isLessThan(size + 8192);
    }

    @Test
    void idIsReported() {
        DsnMessage plan = DsnMessage.of(DsnFixture.message().failed("bob@example.com", "550 5.1.1 no").build(),
                DsnKind.FAILURE, List.of(0), SETTINGS, NOW);
        assertThat(plan.report().queueId()).contains(ID);
        assertThat(plan.to()).isEqualTo("alice@example.org");
    }

    @Test
    void eachPartSaysWhatItIsAndHowItIsEncoded() throws Exception {
        ParsedDsn ascii = failure(DsnFixture.message().ret(DsnReturn.FULL)
                .failed("bob@example.com", "550 5.1.1 no such user").build());
        assertThat(ascii.text())
                .contains("MIME-Version: 1.0\r\n")
                .contains("Content-Type: text/plain; charset=us-ascii\r\nContent-Description: Notification\r\n"
                        + "Content-Transfer-Encoding: 7bit\r\n\r\n")
                .contains("Content-Type: message/delivery-status\r\nContent-Description: Delivery report\r\n"
                        + "Content-Transfer-Encoding: 7bit\r\n\r\n")
                .contains("Content-Type: message/rfc822\r\nContent-Description: Undelivered message\r\n"
                        + "Content-Transfer-Encoding: 7bit\r\n\r\n");

        ParsedDsn headersOf8bit = failure(DsnFixture.message().ret(DsnReturn.HDRS).body(BodyType.EIGHT_BIT_MIME)
                .failed("bob@example.com", "550 5.1.1 no such user").build());
        assertThat(headersOf8bit.text())
                .contains("Content-Type: text/rfc822-headers\r\nContent-Description: Undelivered message header\r\n"
                        + "Content-Transfer-Encoding: 8bit\r\n\r\n")
                .as("the whole message is 8bit when a part is").contains("Content-Transfer-Encoding: 8bit\r\n\r\nThis is");

        DsnMessage plan = DsnMessage.of(DsnFixture.message().smtpUtf8().ret(DsnReturn.FULL)
                .failed("jörg@example.de", "550 5.1.1 Empfänger unbekannt").build(), DsnKind.FAILURE, List.of(0),
                SETTINGS, NOW);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        composer.compose(plan, new ByteArrayInputStream(DsnFixture.original()), out);
        assertThat(ParsedDsn.of(out.toByteArray()).text())
                .contains("Content-Type: text/plain; charset=utf-8\r\nContent-Description: Notification\r\n"
                        + "Content-Transfer-Encoding: 8bit\r\n\r\n")
                .contains("Content-Type: message/global-delivery-status\r\nContent-Description: Delivery report\r\n"
                        + "Content-Transfer-Encoding: 8bit\r\n\r\n")
                .contains("Content-Type: message/global\r\nContent-Description: Undelivered message\r\n"
                        + "Content-Transfer-Encoding: 8bit\r\n\r\n");
    }

    @Test
    void theStatusFieldTakesTheOutcomesCodeOnlyWhenItsClassFitsTheAction() {
        assertThat(DsnAction.FAILED.statusFor(new EnhancedStatus(5, 1, 1))).isEqualTo("5.1.1");
        assertThat(DsnAction.FAILED.statusFor(EnhancedStatus.DELIVERY_TIME_EXPIRED)).isEqualTo("4.4.7");
        assertThat(DsnAction.FAILED.statusFor(EnhancedStatus.SUCCESS)).isEqualTo("5.0.0");
        assertThat(DsnAction.DELAYED.statusFor(new EnhancedStatus(4, 2, 2))).isEqualTo("4.2.2");
        assertThat(DsnAction.DELAYED.statusFor(new EnhancedStatus(5, 1, 1))).isEqualTo("4.0.0");
        assertThat(DsnAction.RELAYED.statusFor(new EnhancedStatus(2, 6, 0))).isEqualTo("2.6.0");
        assertThat(DsnAction.DELIVERED.statusFor(new EnhancedStatus(4, 0, 0))).isEqualTo("2.0.0");
    }

    @Test
    void aReplyWhoseStatusSaysNothingKnownIsWordedByWhoGaveIt() throws Exception {
        ParsedDsn remote = compose(DsnFixture.message()
                .deferred("bob@example.com", "451 4.9.9 something odd").build(), DsnKind.DELAY, List.of(0));
        assertThat(remote.words()).contains("The recipient's mail server (mx.example.com) answered with a temporary error.");

        ParsedDsn rejected = failure(DsnFixture.message().failed("bob@example.com", "554 5.9.9 go away").build());
        assertThat(rejected.words()).contains("The recipient's mail server (mx.example.com) rejected the message.");

        Outcome.Deferred old = new Outcome.Deferred(TestOutcomes.reply("451 4.9.9 an old record"), Source.local(),
                TlsFacts.none(), Cause.UNCLASSIFIED);
        ParsedDsn delay = compose(DsnFixture.message().deferred("bob@example.com", old).build(), DsnKind.DELAY, List.of(0));
        assertThat(delay.words()).contains("Delivery has not succeeded yet. " + Explanation.LOCAL);
        ParsedDsn failed = failure(DsnFixture.message().failed("bob@example.com", TestOutcomes.localFailure(554,
                new EnhancedStatus(5, 9, 9), "an old record", Cause.UNCLASSIFIED)).build());
        assertThat(failed.words()).contains("The message could not be delivered. " + Explanation.LOCAL);
    }

    @Test
    void originalRecipientsKeepTheirTypeAndGoBackToXtextWhereNeeded() throws Exception {
        ParsedDsn dsn = compose(DsnFixture.message()
                .recipient(new RecipientAddress("a@example.com", Set.of(), Optional.of("a@example.com")),
                        new RecipientStatus.Failed(DsnFixture.FAILED_AT, TestOutcomes.failed("550 5.1.1 no")))
                .recipient(new RecipientAddress("b@example.com", Set.of(), Optional.of(";b@example.com")),
                        new RecipientStatus.Failed(DsnFixture.FAILED_AT, TestOutcomes.failed("550 5.1.1 no")))
                .recipient(new RecipientAddress("c@example.com", Set.of(), Optional.of("utf-8;jörg@example.de")),
                        new RecipientStatus.Failed(DsnFixture.FAILED_AT, TestOutcomes.failed("550 5.1.1 no")))
                .build(), DsnKind.FAILURE, List.of(0, 1, 2));

        assertThat(dsn.rawText(1))
                .contains("Original-Recipient: rfc822; a@example.com\r\n")
                .contains("Original-Recipient: ; b@example.com\r\n")
                .as("without SMTPUTF8 a UTF-8 address goes back to xtext")
                .contains("Original-Recipient: utf-8; j+C3+B6rg@example.de\r\n");

        DsnMessage international = DsnMessage.of(DsnFixture.message().smtpUtf8()
                .recipient(new RecipientAddress("c@example.com", Set.of(), Optional.of("utf-8;jörg@example.de")),
                        new RecipientStatus.Failed(DsnFixture.FAILED_AT, TestOutcomes.failed("550 5.1.1 no")))
                .build(), DsnKind.FAILURE, List.of(0), SETTINGS, NOW);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        composer.compose(international, new ByteArrayInputStream(DsnFixture.original()), out);
        assertThat(ParsedDsn.of(out.toByteArray()).rawText(1)).contains("Original-Recipient: utf-8; jörg@example.de\r\n");
    }
}
