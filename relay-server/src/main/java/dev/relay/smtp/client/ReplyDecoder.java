package dev.relay.smtp.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes from the server to {@link SmtpReply} values. Lines end in CRLF (a bare LF is
 * tolerated); a multi-line reply is {@code ddd-text} lines closed by one {@code ddd text}
 * line with the same code. Every length is capped: a reply line beyond {@value #MAX_LINE}
 * bytes or a reply beyond {@value #MAX_LINES} lines is a protocol error.
 *
 * <p>Response-injection defence (the reason this decoder has a second state): after the
 * client has sent STARTTLS, a positive reply ends plain-text input. Whatever follows it in
 * the same read, and everything until the TLS handshake is done, is thrown away; otherwise a
 * man in the middle could queue replies that the client would take for answers given over TLS.
 */
final class ReplyDecoder extends ByteToMessageDecoder {

    static final int MAX_LINE = 4096;
    static final int MAX_LINES = 256;

    private enum State {
        REPLIES,
        /** STARTTLS was sent: the next positive reply is the last plain-text input. */
        REPLIES_UNTIL_TLS_GRANTED,
        /** STARTTLS was granted: discard until {@link #tlsEstablished()}. */
        DISCARDING
    }

    private State state = State.REPLIES;
    private final List<String> lines = new ArrayList<>();
    private int code = -1;
    private long discarded;

    /** The client is about to send STARTTLS. */
    void expectTlsGrant() {
        state = State.REPLIES_UNTIL_TLS_GRANTED;
    }

    /** The handshake is done: replies come over TLS now. */
    void tlsEstablished() {
        state = State.REPLIES;
    }

    /** Bytes thrown away between the STARTTLS grant and the finished handshake (for logs and tests). */
    long discardedBytes() {
        return discarded;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (state == State.DISCARDING) {
                discarded += in.readableBytes();
                in.skipBytes(in.readableBytes());
                return;
            }
            int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (eol < 0) {
                if (in.readableBytes() > MAX_LINE) {
                    throw new DecoderException("reply line longer than " + MAX_LINE + " bytes");
                }
                return;
            }
            int length = eol - in.readerIndex();
            if (length > MAX_LINE) {
                throw new DecoderException("reply line longer than " + MAX_LINE + " bytes");
            }
            int textLength = length > 0 && in.getByte(eol - 1) == '\r' ? length - 1 : length;
            String line = in.toString(in.readerIndex(), textLength, StandardCharsets.UTF_8);
            in.readerIndex(eol + 1);
            SmtpReply reply = addLine(line);
            if (reply != null) {
                out.add(reply);
                if (state == State.REPLIES_UNTIL_TLS_GRANTED && reply.isPositive()) {
                    state = State.DISCARDING;
                } else if (state == State.REPLIES_UNTIL_TLS_GRANTED) {
                    state = State.REPLIES; // refused: the conversation goes on in plain text
                }
            }
        }
    }

    private SmtpReply addLine(String line) {
        if (line.length() < 3 || !isDigit(line, 0) || !isDigit(line, 1) || !isDigit(line, 2)) {
            throw new DecoderException("not an SMTP reply line: " + printable(line));
        }
        int lineCode = Integer.parseInt(line, 0, 3, 10);
        if (lineCode < 200 || lineCode > 599) {
            throw new DecoderException("reply code out of range: " + printable(line));
        }
        if (code >= 0 && lineCode != code) {
            throw new DecoderException("reply code changed within a multi-line reply: " + code + " then " + lineCode);
        }
        boolean last;
        if (line.length() == 3) {
            last = true;
        } else if (line.charAt(3) == ' ') {
            last = true;
        } else if (line.charAt(3) == '-') {
            last = false;
        } else {
            throw new DecoderException("not an SMTP reply line: " + printable(line));
        }
        code = lineCode;
        lines.add(line.length() > 4 ? printable(line.substring(4)) : "");
        if (!last && lines.size() >= MAX_LINES) {
            throw new DecoderException("reply of more than " + MAX_LINES + " lines");
        }
        if (!last) {
            return null;
        }
        SmtpReply reply = SmtpReply.of(code, lines);
        lines.clear();
        code = -1;
        return reply;
    }

    private static boolean isDigit(String s, int i) {
        char c = s.charAt(i);
        return c >= '0' && c <= '9';
    }

    /** Control characters out: reply text goes into logs and bounces. */
    private static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('?');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
