package io.updraft.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeviceSocketBuffersTest {

    @Test
    void givenNoSetting_whenCustomizing_thenTheKernelKeepsAutotuning() {
        HttpServerOptions options = new HttpServerOptions();
        int before = options.getSendBufferSize();

        DeviceSocketBuffers.apply(OptionalInt.empty(), options);

        assertThat(options.getSendBufferSize()).isEqualTo(before);
    }

    @Test
    void givenTooSmallABuffer_whenCustomizing_thenTheStartIsRefused() {
        HttpServerOptions options = new HttpServerOptions();

        assertThatThrownBy(() -> DeviceSocketBuffers.apply(OptionalInt.of(1024), options))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("send-buffer-bytes")
                .hasMessageContaining("4096");
        assertThat(options.getSendBufferSize()).isEqualTo(new HttpServerOptions().getSendBufferSize());
    }

    /** The setting reaches an accepted connection's socket: Linux reports twice the requested size (man 7 socket). */
    @Test
    void givenASendBuffer_whenADeviceConnects_thenItsSocketHasThatBuffer() throws Exception {
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
        DeviceSocketBuffers.apply(OptionalInt.of(16384), options);
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer(options).requestHandler(request -> request.response().end("ok"));
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 5000);
                // Vert.x has no getter for an accepted socket's options: the kernel's view, through ss, is the proof
                int sendBuffer = await("the accepted socket").atMost(Duration.ofSeconds(10))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                        .until(() -> serverSideSendBuffer(server.actualPort(), socket.getLocalPort()), tb -> tb > 0);
                assertThat(sendBuffer).isEqualTo(2 * 16384);
            }
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The server side's {@code skmem} send buffer ({@code tb}) as {@code ss -tm} shows it; 0 while not accepted. */
    private static int serverSideSendBuffer(int serverPort, int clientPort) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-tmnH", "state", "established", "( sport = :" + serverPort
                + " and dport = :" + clientPort + " )").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor(10, TimeUnit.SECONDS)).as("ss finished").isTrue();
        Matcher tb = Pattern.compile("\\btb(\\d+)").matcher(out);
        return tb.find() ? Integer.parseInt(tb.group(1)) : 0;
    }
}
