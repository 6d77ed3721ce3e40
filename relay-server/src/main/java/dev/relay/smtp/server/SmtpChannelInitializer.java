package dev.relay.smtp.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Builds the pipeline described in {@link PipelineNames} for each accepted connection. */
final class SmtpChannelInitializer extends ChannelInitializer<Channel> {
    private final Supplier<SessionServices> currentServices;
    private final Consumer<Channel> onChannel;

    /** Every session gets the same services (tests that drive one pipeline). */
    SmtpChannelInitializer(SessionServices services, Consumer<Channel> onChannel) {
        this(() -> services, onChannel);
    }

    /**
     * @param currentServices what a new session gets, asked once per connection (a reload may
     *     have replaced it since the last one)
     * @param onChannel told about every new channel (the server tracks them for shutdown)
     */
    SmtpChannelInitializer(Supplier<SessionServices> currentServices, Consumer<Channel> onChannel) {
        this.currentServices = currentServices;
        this.onChannel = onChannel;
    }

    @Override
    protected void initChannel(Channel channel) {
        onChannel.accept(channel);
        SessionServices services = currentServices.get();
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
