package dev.relay.smtp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** Writes {@link Reply} values as wire text. Stateless, so one instance serves every channel. */
@Sharable
final class ReplyEncoder extends MessageToMessageEncoder<Reply> {
    static final ReplyEncoder INSTANCE = new ReplyEncoder();

    private ReplyEncoder() {
        super(Reply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Reply reply, List<Object> out) {
        out.add(Unpooled.wrappedBuffer(reply.encode()));
    }
}
