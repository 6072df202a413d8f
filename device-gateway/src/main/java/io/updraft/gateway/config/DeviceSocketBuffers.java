package io.updraft.gateway.config;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.OptionalInt;

/**
 * Applies {@code updraft.gateway.http.send-buffer-bytes} to the sockets of the device-facing HTTP and HTTPS servers.
 * Quarkus has no setting of its own for SO_SNDBUF; Vert.x sets it on every accepted connection.
 */
@ApplicationScoped
public class DeviceSocketBuffers implements HttpServerOptionsCustomizer {
    /** Below this a socket cannot hold one full-size segment's bookkeeping; Linux would round it up anyway. */
    static final int MIN_SEND_BUFFER_BYTES = 4096;

    @Inject
    GatewayConfig config;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(config.http().sendBufferBytes(), options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(config.http().sendBufferBytes(), options);
    }

    /** Sets the send buffer when one is configured; a value below {@link #MIN_SEND_BUFFER_BYTES} refuses the start. */
    static void apply(OptionalInt sendBufferBytes, HttpServerOptions options) {
        if (sendBufferBytes.isEmpty()) {
            return;
        }
        int bytes = sendBufferBytes.getAsInt();
        if (bytes < MIN_SEND_BUFFER_BYTES) {
            throw new IllegalArgumentException("updraft.gateway.http.send-buffer-bytes must be at least "
                    + MIN_SEND_BUFFER_BYTES + ", was " + bytes);
        }
        options.setSendBufferSize(bytes);
    }
}
