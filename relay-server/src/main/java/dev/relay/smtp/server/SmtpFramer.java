package dev.relay.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * Cuts the inbound byte stream into {@link SmtpInput}s. Three modes, switched by the session:
 *
 * <ul>
 *   <li>command: lines ending in CRLF, at most {@link #MAX_COMMAND_LINE} octets; longer lines,
 *       NUL, bare CR or LF and invalid UTF-8 become {@link SmtpInput.BadLine}s;
 *   <li>data (after 354): dot-unstuffed body bytes until CRLF.CRLF, then back to command mode.
 *       Only a real CRLF "." CRLF ends the data: LF "." LF, CR "." CR, CRLF "." CR and their
 *       mixes are passed on as body bytes (the receiver then rejects them as bare line breaks),
 *       so nothing after such a fake terminator is ever read as a command (SMTP smuggling);
 *   <li>chunk (BDAT): exactly n octets as they are.
 * </ul>
 *
 * Body bytes are passed on as slices of the framer's own input buffer (a heap buffer, so DATA
 * is unstuffed where it lies): the only copy of a message body made here is the one from the
 * socket's buffer into that input buffer.
 *
 * <p>The session can hold the framer (while the queue commits, while AUTH is checked, while the
 * client does not read replies): then nothing is decoded, reading stops (while a message commits,
 * only once 64 KB have piled up), and pipelined input waits in order. {@link #discardBuffered()} drops whatever the client pipelined after STARTTLS.
 */
final class SmtpFramer extends ChannelInboundHandlerAdapter {

    /**
     * RFC 5321 4.5.3.1.4 allows 512 octets, but also lets each extension lengthen MAIL and RCPT
     * (DSN ORCPT/ENVID, SMTPUTF8 addresses, AUTH=); this cap leaves room for them.
     */
    static final int MAX_COMMAND_LINE = 2048;

    /**
     * Input buffered while only {@link Hold#COMMITTING} holds: past this, reading stops too.
     * A client waiting for its 250 sends nothing, so normally nothing accumulates at all.
     */
    static final int MAX_BUFFERED_WHILE_COMMITTING = 64 << 10;

    /** Why decoding is paused. */
    enum Hold {
        /** A commit or authentication is in flight: later commands must wait for its reply. */
        AWAITING_RESULT,
        /**
         * A message commit is in flight: later commands wait for its reply, but the socket is
         * read on until {@link #MAX_BUFFERED_WHILE_COMMITTING} octets are buffered. Stopping
         * and restarting reads for every message would cost two epoll_ctl calls each time
         * for input that, from a client waiting for the reply, does not come.
         */
        COMMITTING,
        /** The client is not reading our replies. */
        UNWRITABLE,
        /** The session is closing. */
        CLOSING
    }

    private enum Mode { COMMAND, DATA, CHUNK }

    /** Position within DATA: what the previous bytes imply for the next one. */
    private enum DataState {
        /** Just after CRLF (or at the start of DATA). */
        LINE_START,
        /** A '.' at line start, held back. */
        DOT,
        /** '.' CR at line start: CRLF.CR seen, only LF completes the terminator. */
        DOT_CR,
        /** Inside a line. */
        TEXT,
        /** A CR inside a line, held back until we know whether LF follows. */
        CR
    }

    private final int maxLine;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final Set<Hold> holds = EnumSet.noneOf(Hold.class);
    /** Whether this framer turned auto-read off. */
    private boolean readingStopped;
    private ChannelHandlerContext ctx;
    private ByteBuf buffer;
    private Mode mode = Mode.COMMAND;
    private DataState dataState = DataState.LINE_START;
    private long chunkRemaining;
    private boolean skippingLongLine;
    private boolean decoding;

    SmtpFramer() {
        this(MAX_COMMAND_LINE);
    }

    SmtpFramer(int maxLine) {
        this.maxLine = maxLine;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ByteBuf heap = ctx.alloc().heapBuffer(256);
        if (!heap.hasArray()) {
            heap.release();
            heap = Unpooled.buffer(256);
        }
        this.buffer = heap;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (buffer == null) {
                return;
            }
            buffer.writeBytes(in);
        } finally {
            ReferenceCountUtil.release(in);
        }
        if (!holds.isEmpty()) {
            updateReading();
        }
        decode();
    }

    // ---- controls used by the session (always on the event loop) ----

    /** After 354: what follows is DATA content up to CRLF.CRLF. */
    void expectData() {
        mode = Mode.DATA;
        dataState = DataState.LINE_START;
    }

    /** After BDAT n: the next {@code size} octets are content (size > 0). */
    void expectChunk(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("chunk size must be positive");
        }
        mode = Mode.CHUNK;
        chunkRemaining = size;
    }

    void hold(Hold reason) {
        if (holds.add(reason)) {
            updateReading();
        }
    }

    /** Lifts one hold; when none is left, decodes what was buffered meanwhile and reads again. */
    void release(Hold reason) {
        if (holds.remove(reason)) {
            updateReading();
            if (holds.isEmpty()) {
                decode();
            }
        }
    }

    /** Reading stops under any hold but {@link Hold#COMMITTING} alone with little buffered. */
    private void updateReading() {
        boolean stop = !holds.isEmpty()
                && (holds.size() > 1 || !holds.contains(Hold.COMMITTING)
                        || (buffer != null && buffer.readableBytes() >= MAX_BUFFERED_WHILE_COMMITTING));
        if (stop != readingStopped) {
            readingStopped = stop;
            ctx.channel().config().setAutoRead(!stop);
        }
    }

    boolean isHeld() {
        return !holds.isEmpty();
    }

    /** Octets received and not decoded yet: input the client sent ahead of our replies. */
    int buffered() {
        return buffer == null ? 0 : buffer.readableBytes();
    }

    /** Drops all undecoded input and returns how many octets that was. */
    int discardBuffered() {
        if (buffer == null) {
            return 0;
        }
        int dropped = buffer.readableBytes();
        buffer.clear();
        skippingLongLine = false;
        return dropped;
    }

    // ---- decoding ----

    private void decode() {
        if (decoding || buffer == null) {
            return; // re-entered from a handler we called: the outer loop continues
        }
        decoding = true;
        try {
            while (holds.isEmpty() && buffer != null && buffer.isReadable() && ctx.channel().isOpen()) {
                boolean progress = switch (mode) {
                    case COMMAND -> decodeCommand();
                    case DATA -> decodeData();
                    case CHUNK -> decodeChunk();
                };
                if (!progress) {
                    break;
                }
            }
        } finally {
            decoding = false;
            if (buffer != null) {
                buffer.discardSomeReadBytes();
            }
        }
    }

    private boolean decodeCommand() {
        int start = buffer.readerIndex();
        int readable = buffer.readableBytes();
        if (skippingLongLine) {
            int lf = buffer.indexOf(start, start + readable, (byte) '\n');
            if (lf < 0) {
                buffer.skipBytes(readable);
                return true;
            }
            buffer.readerIndex(lf + 1);
            skippingLongLine = false;
            ctx.fireChannelRead(new SmtpInput.BadLine(SmtpInput.Problem.TOO_LONG));
            return true;
        }
        int lf = buffer.indexOf(start, start + Math.min(readable, maxLine), (byte) '\n');
        if (lf < 0) {
            if (readable >= maxLine) {
                skippingLongLine = true;
                return true;
            }
            return false;
        }
        int length = lf - start;
        boolean crlf = length > 0 && buffer.getByte(lf - 1) == '\r';
        int contentLength = crlf ? length - 1 : length;
        ByteBuf line = buffer.slice(start, contentLength);
        buffer.readerIndex(lf + 1);
        ctx.fireChannelRead(crlf ? toInput(line) : new SmtpInput.BadLine(SmtpInput.Problem.BARE_LINE_BREAK));
        return true;
    }

    private SmtpInput toInput(ByteBuf line) {
        boolean ascii = true;
        for (int i = line.readerIndex(); i < line.writerIndex(); i++) {
            byte b = line.getByte(i);
            if (b == 0) {
                return new SmtpInput.BadLine(SmtpInput.Problem.NUL);
            }
            if (b == '\r') {
                return new SmtpInput.BadLine(SmtpInput.Problem.BARE_LINE_BREAK);
            }
            ascii &= b >= 0;
        }
        if (ascii) {
            return new SmtpInput.CommandLine(line.toString(StandardCharsets.US_ASCII));
        }
        try {
            ByteBuffer bytes = line.nioBuffer();
            return new SmtpInput.CommandLine(utf8.reset().decode(bytes).toString());
        } catch (CharacterCodingException e) {
            return new SmtpInput.BadLine(SmtpInput.Problem.NOT_UTF8);
        }
    }

    /**
     * Runs the DATA state machine over everything buffered. Emits the unstuffed bytes, and
     * {@link SmtpInput.BodyEnd} if the terminator was seen (leaving what follows buffered).
     *
     * <p>Unstuffing only ever removes bytes (the dot at the start of a line, and the final
     * ".CRLF"), so the content is passed on as runs of the input between removed bytes: in most
     * messages one run per read. Inside a line only a CR can matter, and it is searched for a
     * word at a time; the states only decide what the next byte means.
     */
    private boolean decodeData() {
        byte[] in = buffer.array();
        int base = buffer.arrayOffset() + buffer.readerIndex();
        int end = base + buffer.readableBytes();
        int i = base;
        int run = base; // first byte of content not passed on yet
        boolean finished = false;
        DataState state = dataState;
        if (state == DataState.DOT_CR) {
            // CRLF "." CR ended the previous read; that CR was held back: it may start the terminator
            if (in[i] == '\n') {
                finished = true;
                state = DataState.LINE_START;
                run = ++i;
            } else {
                emit(CR, 0, 1); // content after all
                state = DataState.CR; // which decides what the byte after it means
            }
        }
        while (i < end && !finished) {
            switch (state) {
                case TEXT -> {
                    int cr = LineBreaks.indexOfCr(in, i, end);
                    if (cr < 0) {
                        i = end; // a bare LF stays in the body and does not start a line
                    } else {
                        i = cr + 1;
                        state = DataState.CR;
                    }
                }
                case CR -> {
                    byte b = in[i++];
                    if (b == '\n') {
                        state = DataState.LINE_START;
                    } else if (b != '\r') {
                        state = DataState.TEXT;
                    }
                }
                case LINE_START -> {
                    byte b = in[i];
                    if (b == '.') {
                        // the leading dot is dropped in every case but the terminator (RFC 5321 4.5.2)
                        emit(in, run, i - run);
                        run = ++i;
                        state = DataState.DOT;
                    } else {
                        i++;
                        state = b == '\r' ? DataState.CR : DataState.TEXT;
                    }
                }
                case DOT -> state = in[i++] == '\r' ? DataState.DOT_CR : DataState.TEXT;
                case DOT_CR -> {
                    if (in[i] == '\n') {
                        // nothing lies between the dropped dot and the CR: nothing to pass on
                        run = ++i;
                        finished = true;
                        state = DataState.LINE_START;
                    } else {
                        state = DataState.CR; // the CR is content; the CR state decides on this byte
                    }
                }
            }
        }
        if (!finished) {
            emit(in, run, (state == DataState.DOT_CR ? i - 1 : i) - run);
        }
        dataState = state;
        if (buffer != null) {
            buffer.skipBytes(i - base);
        }
        if (finished) {
            mode = Mode.COMMAND;
            ctx.fireChannelRead(new SmtpInput.BodyEnd());
        }
        return true;
    }

    private static final byte[] CR = {'\r'};

    /** Passes on content bytes; the array is lent for the call (see {@link SmtpInput.BodyChunk}). */
    private void emit(byte[] bytes, int offset, int length) {
        if (length > 0) {
            ctx.fireChannelRead(new SmtpInput.BodyChunk(bytes, offset, length));
        }
    }

    private boolean decodeChunk() {
        int take = (int) Math.min(buffer.readableBytes(), chunkRemaining);
        int offset = buffer.arrayOffset() + buffer.readerIndex();
        chunkRemaining -= take;
        emit(buffer.array(), offset, take);
        if (buffer != null) {
            buffer.skipBytes(take);
        }
        if (chunkRemaining == 0) {
            mode = Mode.COMMAND;
            ctx.fireChannelRead(new SmtpInput.BodyEnd());
        }
        return true;
    }
}
