package dev.relay.queue.spool;

import dev.relay.queue.BodyType;
import dev.relay.queue.DsnNotify;
import dev.relay.queue.DsnReturn;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.QueueId;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The text of envelope, state and removal records ({@link TextForm} lines). Defaults are left
 * out to keep records small: a typical envelope is well under 300 bytes.
 *
 * <pre>
 * id: 0PQ3C1AB7Z9K2M4N0000        arrival: 2026-05-01T10:00:00.123Z
 * sender: alice@example.com       client: 192.0.2.7      helo: mail.example.com
 * auth: alice                     size: 4096             bodytype: 8BITMIME
 * smtputf8: yes                   ret: HDRS              envid: abc      tlsrpt: yes
 * requiretls: yes                 tls-required: no       (RFC 8689; absent in older spools: no)
 * rcpt: bob@example.org           notify: SUCCESS,FAILURE    orcpt: rfc822;bob@example.org
 * stored: inline 4096   (or: stored: file 52428800)
 *
 * id: ...   v: 2   attempts: 2   held: yes   delay-warned: yes
 * status: pending | delivered INSTANT REPLY | deferred INSTANT REPLY | failed INSTANT REPLY
 *   (then, for that status, see {@link StatusText}: cause, remote, tls, host, expired)
 * </pre>
 *
 * {@code notify} and {@code orcpt} belong to the {@code rcpt} line above them; the n-th
 * {@code status} line to the n-th recipient, with the fact lines that follow it.
 */
final class RecordText {

    /** How the body of a message record is stored. */
    record Body(boolean inFile, long size) {}

    record DecodedEnvelope(QueueId id, Envelope envelope, Body body) {}

    record DecodedState(QueueId id, MessageState state) {}

    private RecordText() {}

    static byte[] envelope(QueueId id, Envelope envelope, Body body) {
        TextForm.Builder text = TextForm.builder()
                .field("id", id.value())
                .field("arrival", envelope.arrival().toString())
                .field("sender", envelope.sender())
                .field("client", envelope.clientAddress())
                .field("helo", envelope.heloName());
        envelope.authenticatedUser().ifPresent(user -> text.field("auth", user));
        MailParameters parameters = envelope.parameters();
        parameters.declaredSize().ifPresent(size -> text.field("size", size));
        if (parameters.body() != BodyType.SEVEN_BIT) {
            text.field("bodytype", parameters.body().keyword());
        }
        if (parameters.smtpUtf8()) {
            text.field("smtputf8", "yes");
        }
        parameters.ret().ifPresent(ret -> text.field("ret", ret.name()));
        parameters.envelopeId().ifPresent(envid -> text.field("envid", envid));
        if (parameters.requireTls()) {
            text.field("requiretls", "yes");
        }
        if (envelope.tlsRequiredNo()) {
            text.field("tls-required", "no");
        }
        if (parameters.tlsReport()) {
            text.field("tlsrpt", "yes");
        }
        for (RecipientAddress recipient : envelope.recipients()) {
            text.field("rcpt", recipient.address());
            if (!recipient.notifyOn().isEmpty()) {
                StringBuilder notify = new StringBuilder();
                for (DsnNotify value : EnumSet.copyOf(recipient.notifyOn())) {
                    notify.append(notify.isEmpty() ? "" : ",").append(value.name());
                }
                text.field("notify", notify.toString());
            }
            recipient.originalRecipient().ifPresent(orcpt -> text.field("orcpt", orcpt));
        }
        text.field("stored", (body.inFile() ? "file " : "inline ") + body.size());
        return text.toBytes();
    }

    static DecodedEnvelope parseEnvelope(byte[] bytes, int offset, int length) throws CorruptRecordException {
        QueueId id = null;
        Instant arrival = null;
        String sender = null;
        String client = null;
        String helo = null;
        Optional<String> auth = Optional.empty();
        OptionalLong size = OptionalLong.empty();
        BodyType bodyType = BodyType.SEVEN_BIT;
        boolean smtpUtf8 = false;
        Optional<DsnReturn> ret = Optional.empty();
        Optional<String> envid = Optional.empty();
        boolean requireTls = false;
        boolean tlsRequiredNo = false;
        boolean tlsReport = false;
        List<RecipientAddress> recipients = new ArrayList<>();
        String rcpt = null;
        Set<DsnNotify> notify = Set.of();
        Optional<String> orcpt = Optional.empty();
        Body body = null;
        for (TextForm.Field field : TextForm.parse(bytes, offset, length)) {
            String value = field.value();
            switch (field.key()) {
                case "id" -> id = queueId(value);
                case "arrival" -> arrival = instant(value);
                case "sender" -> sender = value;
                case "client" -> client = value;
                case "helo" -> helo = value;
                case "auth" -> auth = Optional.of(value);
                case "size" -> size = OptionalLong.of(number(value));
                case "bodytype" -> bodyType = BodyType.fromKeyword(value)
                        .orElseThrow(() -> new CorruptRecordException("unknown body type: " + value));
                case "smtputf8" -> smtpUtf8 = value.equals("yes");
                case "ret" -> ret = Optional.of(enumValue(DsnReturn.class, value));
                case "envid" -> envid = Optional.of(value);
                case "requiretls" -> requireTls = value.equals("yes");
                case "tls-required" -> tlsRequiredNo = value.equals("no");
                case "tlsrpt" -> tlsReport = value.equals("yes");
                case "rcpt" -> {
                    if (rcpt != null) {
                        recipients.add(new RecipientAddress(rcpt, notify, orcpt));
                    }
                    rcpt = value;
                    notify = Set.of();
                    orcpt = Optional.empty();
                }
                case "notify" -> {
                    EnumSet<DsnNotify> values = EnumSet.noneOf(DsnNotify.class);
                    for (String name : value.split(",", -1)) {
                        values.add(enumValue(DsnNotify.class, name));
                    }
                    notify = values;
                }
                case "orcpt" -> orcpt = Optional.of(value);
                case "stored" -> body = body(value);
                default -> throw new CorruptRecordException("unknown envelope field: " + field.key());
            }
        }
        if (rcpt != null) {
            recipients.add(new RecipientAddress(rcpt, notify, orcpt));
        }
        if (id == null || arrival == null || sender == null || client == null || helo == null || body == null
                || recipients.isEmpty()) {
            throw new CorruptRecordException("envelope record misses a required field");
        }
        Envelope envelope = new Envelope(sender, recipients,
                new MailParameters(size, bodyType, smtpUtf8, ret, envid, requireTls, tlsReport), arrival, client, helo,
                auth, tlsRequiredNo);
        return new DecodedEnvelope(id, envelope, body);
    }

    static byte[] state(QueueId id, MessageState state) {
        TextForm.Builder text = TextForm.builder().field("id", id.value()).field("v", StateVersion.CURRENT)
                .field("attempts", state.attempts());
        if (state.held()) {
            text.field("held", "yes");
        }
        if (state.delayWarned()) {
            text.field("delay-warned", "yes");
        }
        for (RecipientStatus status : state.statuses()) {
            StatusText.write(status, text);
        }
        return text.toBytes();
    }

    static DecodedState parseState(byte[] bytes, int offset, int length) throws CorruptRecordException {
        QueueId id = null;
        int attempts = -1;
        boolean held = false;
        boolean delayWarned = false;
        StatusText.Reader statuses = null;
        for (TextForm.Field field : TextForm.parse(bytes, offset, length)) {
            if (statuses == null && !field.key().equals("id") && !field.key().equals("v")) {
                statuses = StatusText.reader(StateVersion.LEGACY); // no "v" line: written before versions
            }
            switch (field.key()) {
                case "id" -> id = queueId(field.value());
                case "v" -> {
                    if (statuses != null) {
                        throw new CorruptRecordException("state version after other fields");
                    }
                    statuses = StatusText.reader(Math.toIntExact(number(field.value())));
                }
                case "attempts" -> attempts = Math.toIntExact(number(field.value()));
                case "held" -> held = field.value().equals("yes");
                case "delay-warned" -> delayWarned = field.value().equals("yes");
                default -> statuses.field(field.key(), field.value());
            }
        }
        if (id == null || attempts < 0 || statuses == null) {
            throw new CorruptRecordException("state record misses a required field");
        }
        List<RecipientStatus> list = statuses.finish();
        if (list.isEmpty()) {
            throw new CorruptRecordException("state record without statuses");
        }
        return new DecodedState(id, new MessageState(list, attempts, held, delayWarned));
    }

    static byte[] removal(QueueId id, RemovalReason reason) {
        return TextForm.builder().field("id", id.value()).field("removed", reason.label())
                .toBytes();
    }

    static QueueId parseRemoval(byte[] bytes, int offset, int length) throws CorruptRecordException {
        for (TextForm.Field field : TextForm.parse(bytes, offset, length)) {
            if (field.key().equals("id")) {
                return queueId(field.value());
            }
        }
        throw new CorruptRecordException("removal record without id");
    }

    static byte[] segmentHeader(long number) {
        return TextForm.builder().field("segment", number).field("format", 1).toBytes();
    }

    static long parseSegmentHeader(byte[] bytes) throws CorruptRecordException {
        long number = -1;
        for (TextForm.Field field : TextForm.parse(bytes, 0, bytes.length)) {
            switch (field.key()) {
                case "segment" -> number = number(field.value());
                case "format" -> {
                    if (number(field.value()) != 1) {
                        throw new CorruptRecordException("unknown segment format " + field.value());
                    }
                }
                default -> throw new CorruptRecordException("unknown header field: " + field.key());
            }
        }
        return number;
    }

    static byte[] seal(long nextSegment) {
        return TextForm.builder().field("sealed", "yes").field("next", nextSegment).toBytes();
    }

    private static Body body(String value) throws CorruptRecordException {
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new CorruptRecordException("bad stored field: " + value);
        }
        long size = number(value.substring(space + 1));
        return switch (value.substring(0, space)) {
            case "inline" -> new Body(false, size);
            case "file" -> new Body(true, size);
            default -> throw new CorruptRecordException("bad stored field: " + value);
        };
    }

    static QueueId queueId(String value) throws CorruptRecordException {
        return QueueId.parse(value).orElseThrow(() -> new CorruptRecordException("bad queue id: " + value));
    }

    static Instant instant(String value) throws CorruptRecordException {
        Instant common = commonInstant(value);
        if (common != null) {
            return common;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new CorruptRecordException("bad instant: " + value, e);
        }
    }

    /**
     * The form {@link Instant#toString} writes for years 0000 - 9999 ({@code 2026-12-07T06:43:52.726Z},
     * no fraction or 3, 6 or 9 digits of it), read without {@code java.time}'s general parser, which
     * was a tenth of the time of recovering a million messages with their states; null for anything
     * else (a leap second, another year, any doubt), which {@link Instant#parse} then reads or refuses.
     */
    private static Instant commonInstant(String value) {
        int length = value.length();
        if ((length != 20 && length != 24 && length != 27 && length != 30) || value.charAt(length - 1) != 'Z'
                || value.charAt(4) != '-' || value.charAt(7) != '-' || value.charAt(10) != 'T'
                || value.charAt(13) != ':' || value.charAt(16) != ':' || (length > 20 && value.charAt(19) != '.')) {
            return null;
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 7);
        int day = digits(value, 8, 10);
        int hour = digits(value, 11, 13);
        int minute = digits(value, 14, 16);
        int second = digits(value, 17, 19);
        int fraction = length > 20 ? digits(value, 20, length - 1) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0
                || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long nanos = fraction;
        for (int scale = length - 21; scale < 9; scale++) {
            nanos *= 10;
        }
        long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** The decimal number in {@code value[from, to)}, or -1 unless all of it is ASCII digits. */
    private static int digits(String value, int from, int to) {
        int number = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    static long number(String value) throws CorruptRecordException {
        try {
            long number = Long.parseLong(value);
            if (number < 0) {
                throw new CorruptRecordException("negative number: " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new CorruptRecordException("bad number: " + value, e);
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value) throws CorruptRecordException {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new CorruptRecordException("bad " + type.getSimpleName() + ": " + value, e);
        }
    }
}
