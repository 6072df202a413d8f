package io.updraft.launcher;

import java.nio.file.Path;

/**
 * What a client of a running stack needs, however it runs (processes: {@link LocalStack}; containers:
 * {@link io.updraft.launcher.containers.ContainerStack}): each service's base URL, the gateway token devices present, a
 * management token, and a folder for files the client writes (builds to publish).
 */
public interface RunningStack {
    /** The base URL of {@code service} as this JVM reaches it, e.g. {@code http://127.0.0.1:8081}. */
    String url(String service);

    String gatewayToken();

    /** A bearer token with every management role. */
    String adminToken();

    Path home();

    static RunningStack of(LocalStack stack) {
        return new RunningStack() {
            @Override
            public String url(String service) {
                return stack.service(service).url();
            }

            @Override
            public String gatewayToken() {
                return stack.gatewayToken();
            }

            @Override
            public String adminToken() {
                return stack.adminToken();
            }

            @Override
            public Path home() {
                return stack.home();
            }
        };
    }
}
