package io.updraft.release.service.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 client that records the requests it is asked to send (method name and request object) and can fail one
 * of them on purpose, as a network or the store would: what the store did on the wire, observable by a test.
 */
final class RecordingS3Client {
    record Call(String method, Object request) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final S3Client client;

    /** {@code failure}: given the method name and how many calls of it came before, an exception to throw or null. */
    RecordingS3Client(S3Client real, BiFunction<String, Long, RuntimeException> failure) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (args != null && args.length > 0 && args[0] instanceof Consumer<?>) {
                // the SDK's builder-style overload: builds the request and calls the request-typed one on the proxy
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            Object request = args == null || args.length == 0 ? null : args[0];
            long before = calls.stream().filter(call -> call.method().equals(method.getName())).count();
            calls.add(new Call(method.getName(), request));
            RuntimeException fail = failure.apply(method.getName(), before);
            if (fail != null) {
                throw fail;
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        client = (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] { S3Client.class },
                handler);
    }

    RecordingS3Client(S3Client real) {
        this(real, (method, before) -> null);
    }

    S3Client client() {
        return client;
    }

    List<Object> requests(String method) {
        return calls.stream().filter(call -> call.method().equals(method)).map(Call::request).toList();
    }
}
