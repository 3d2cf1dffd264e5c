package org.listkeeper.server;

import javax.inject.Inject;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;

/**
 * James's SMTP server, answering every command a client sent before it shut down its side of the connection.
 *
 * <p>An MTA that pipelines {@code QUIT} (Exim does) writes the message's final dot and {@code QUIT} at once and then
 * half-closes the connection ({@code shutdown(SHUT_WR)}). James 3.8.1 leaves Netty's {@code ALLOW_HALF_CLOSURE} off,
 * so Netty closes the channel as soon as its I/O thread reads the end of input; but James decodes and handles
 * lines on another executor ({@code AbstractChannelPipelineFactory} puts the framer on an {@code EventExecutorGroup}),
 * so the close often comes before the {@code 250} for the message and the {@code 221} are written. The message was
 * queued, the client saw no answer, and sent it again (RFC 5321 §4.1.1.10: the server must not close before it
 * has answered {@code QUIT}).</p>
 *
 * <p>Here the child channels allow half-closure: the end of input travels down the pipeline as a
 * {@link ChannelInputShutdownEvent}, behind the lines read before it, and a last handler closes the channel once
 * everything written before it is flushed. When the client sent {@code QUIT}, James has closed already.</p>
 */
public final class HalfCloseSmtpModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(SMTPServerFactory.class).to(AnsweringSmtpServerFactory.class);
        bind(AnsweringSmtpServerFactory.class).in(Scopes.SINGLETON);
    }

    /** James's SMTP server factory, making {@link AnsweringSmtpServer}s. */
    public static final class AnsweringSmtpServerFactory extends SMTPServerFactory {
        @Inject
        public AnsweringSmtpServerFactory(DNSService dns, ProtocolHandlerLoader loader, FileSystem fileSystem, MetricFactory metricFactory) {
            super(dns, loader, fileSystem, metricFactory);
        }

        @Override
        protected SMTPServer createServer() {
            return new AnsweringSmtpServer(smtpMetrics);
        }
    }

    /** James's SMTP server with half-closure allowed and {@link CloseWhenAnswered} at the end of each pipeline. */
    static final class AnsweringSmtpServer extends SMTPServer {
        static final String HANDLER = "listkeeper-close-when-answered";

        AnsweringSmtpServer(org.apache.james.smtpserver.netty.SmtpMetrics metrics) {
            super(metrics);
        }

        @Override
        protected void configureBootstrap(ServerBootstrap bootstrap) {
            super.configureBootstrap(bootstrap);
            bootstrap.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            ChannelHandler james = bootstrap.config().childHandler();
            bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    // James's initializer runs as soon as it is added, putting its handlers in; ours goes after them
                    channel.pipeline().addLast(james);
                    channel.pipeline().addLast(HANDLER, CloseWhenAnswered.INSTANCE);
                }
            });
        }
    }

    /**
     * At the end of the client's input, closes the channel once every reply written before is flushed. It sits after
     * James's protocol handler, so the event reaches it only when the lines read before it have been handled.
     */
    @ChannelHandler.Sharable
    static final class CloseWhenAnswered extends ChannelInboundHandlerAdapter {
        static final CloseWhenAnswered INSTANCE = new CloseWhenAnswered();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof ChannelInputShutdownEvent) {
                ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            super.userEventTriggered(ctx, event);
        }
    }
}
