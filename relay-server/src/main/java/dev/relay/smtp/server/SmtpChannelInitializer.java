package dev.relay.smtp.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import java.util.function.Consumer;

/** Builds the pipeline described in {@link PipelineNames} for each accepted connection. */
final class SmtpChannelInitializer extends ChannelInitializer<Channel> {
    private final SessionServices services;
    private final Consumer<Channel> onChannel;

    /** @param onChannel told about every new channel (the server tracks them for shutdown) */
    SmtpChannelInitializer(SessionServices services, Consumer<Channel> onChannel) {
        this.services = services;
        this.onChannel = onChannel;
    }

    @Override
    protected void initChannel(Channel channel) {
        onChannel.accept(channel);
        ChannelPipeline pipeline = channel.pipeline();
        if (services.settings().listener().implicitTls()) {
            pipeline.addLast(PipelineNames.TLS, services.sslContext().orElseThrow().newHandler(channel.alloc()));
        }
        pipeline.addLast(PipelineNames.IDLE, SessionHandler.idleHandler(services.settings().limits().commandTimeout()));
        pipeline.addLast(PipelineNames.FRAMER, new SmtpFramer());
        pipeline.addLast(PipelineNames.REPLY_ENCODER, ReplyEncoder.INSTANCE);
        pipeline.addLast(PipelineNames.SESSION, new SessionHandler(services));
    }
}
