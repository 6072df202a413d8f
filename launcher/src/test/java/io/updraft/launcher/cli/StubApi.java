package io.updraft.launcher.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A tiny in-process stand-in for the management APIs (com.sun.net.httpserver): answers per path, scripted in order
 * (the last answer of a path repeats), and remembers every request it got.
 */
final class StubApi implements AutoCloseable {
    /** One scripted answer. */
    record Answer(int status, String body, Map<String, String> headers) {
        static Answer json(String body) {
            return new Answer(200, body, Map.of());
        }

        static Answer status(int status) {
            return new Answer(status, "{\"status\":" + status + ",\"detail\":\"stub says " + status + "\"}", Map.of());
        }
    }

    /** What the stub received: method, path with query, Authorization header, the body as UTF-8 text. */
    record Request(String method, String uri, String authorization, String body) {
        String path() {
            int query = uri.indexOf('?');
            return query < 0 ? uri : uri.substring(0, query);
        }
    }

    private final int port;
    private final Map<String, Deque<Answer>> script = new HashMap<>();
    private final Map<String, Function<Request, Answer>> dynamic = new HashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;

    private StubApi(int port) {
        this.port = port;
    }

    /** A stub on a free port that does not listen yet: connections are refused until {@link #start()}. */
    static StubApi notListening() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new StubApi(probe.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StubApi started() {
        return notListening().start();
    }

    synchronized StubApi start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    /** Answers {@code path} (without query) with these, in order; the last one repeats. */
    synchronized StubApi on(String path, Answer... answers) {
        script.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
        return this;
    }

    /** Answers {@code path} (without query) with what {@code answer} makes of each request. */
    synchronized StubApi on(String path, Function<Request, Answer> answer) {
        dynamic.put(path, answer);
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    long requestsTo(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).count();
    }

    /** The environment of a CLI that talks only to this stub, with a fixed token. */
    Map<String, String> env() {
        return Map.of("UPDRAFT_TOKEN", "stub-token", "UPDRAFT_RELEASE_URL", url(), "UPDRAFT_ROLLOUT_URL", url(),
                "UPDRAFT_TELEMETRY_URL", url());
    }

    /** The outcome of one CLI run. */
    record Run(int status, String out, String err) {
    }

    Run cli(Path root, String... args) {
        return run(root, env(), args);
    }

    static Run run(Path root, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = UpdraftCli.execute(root, env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    private void handle(HttpExchange exchange) throws IOException {
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(request);
        Answer answer = answer(request);
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.status() >= 400 ? "application/problem+json"
                : "application/json");
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private synchronized Answer answer(Request request) {
        Function<Request, Answer> made = dynamic.get(request.path());
        if (made != null) {
            return made.apply(request);
        }
        Deque<Answer> answers = script.get(request.path());
        if (answers == null || answers.isEmpty()) {
            return Answer.status(404);
        }
        return answers.size() > 1 ? answers.poll() : answers.peek();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
