package dev.relay.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Writes {@link Reply} values as wire text, straight into a buffer from the channel's
 * allocator (a direct one the socket can write without another copy). Other messages pass
 * through. Stateless, so one instance serves every channel.
 */
@Sharable
final class ReplyEncoder extends ChannelOutboundHandlerAdapter {
    static final ReplyEncoder INSTANCE = new ReplyEncoder();

    private ReplyEncoder() {}

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Reply reply) {
            ByteBuf out = ctx.alloc().ioBuffer(reply.encodedLengthBound());
            try {
                reply.encodeTo(out);
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
            ctx.write(out, promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
