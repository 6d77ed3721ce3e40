package dev.relay.queue.spool;

import java.nio.ByteBuffer;

/**
 * Payload of a MESSAGE record: {@code [u32 n][envelope text, n bytes][u32 m][state text, m
 * bytes][body]}. The body part is empty when the body lives in its own file.
 */
@SuppressWarnings("ArrayRecordComponent") // the payload as read from the spool, not copied; never compared
record MessagePayload(byte[] bytes, int envelopeFrom, int envelopeLength, int stateFrom, int stateLength,
        int bodyFrom, int end) {

    static byte[] build(byte[] envelope, byte[] state, byte[] body, int bodyFrom, int bodyLength) {
        ByteBuffer out = ByteBuffer.allocate(8 + envelope.length + state.length + bodyLength);
        out.putInt(envelope.length).put(envelope).putInt(state.length).put(state).put(body, bodyFrom, bodyLength);
        return out.array();
    }

    /**
     * The payload up to where the body begins. Followed by the body bytes it is exactly what
     * {@link #build} makes; the writer appends the two parts without joining them first.
     */
    static byte[] head(byte[] envelope, byte[] state) {
        return build(envelope, state, envelope, 0, 0);
    }

    static MessagePayload parse(byte[] payload) throws CorruptRecordException {
        return parse(payload, 0, payload.length);
    }

    /** The payload that lies in {@code bytes[from, end)} (e.g. a whole record read in place). */
    static MessagePayload parse(byte[] bytes, int from, int end) throws CorruptRecordException {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes, from, end - from);
            int envelopeLength = in.getInt();
            int envelopeFrom = in.position();
            in.position(envelopeFrom + envelopeLength);
            int stateLength = in.getInt();
            int stateFrom = in.position();
            in.position(stateFrom + stateLength);
            return new MessagePayload(bytes, envelopeFrom, envelopeLength, stateFrom, stateLength, in.position(), end);
        } catch (RuntimeException e) {
            throw new CorruptRecordException("message payload framing is broken", e);
        }
    }

    int bodyLength() {
        return end - bodyFrom;
    }

    /** The same message with another state: what compaction writes. */
    byte[] withState(byte[] state) {
        byte[] envelope = new byte[envelopeLength];
        System.arraycopy(bytes, envelopeFrom, envelope, 0, envelopeLength);
        return build(envelope, state, bytes, bodyFrom, bodyLength());
    }
}
