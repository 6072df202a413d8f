package io.updraft.fleet;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Feeds a response body into a digest without keeping it, and can hang up after {@code limit} bytes — which is what
 * a connection cut mid-download looks like to the server. Completes with the number of bytes taken.
 */
final class DigestingBody implements HttpResponse.BodySubscriber<Long> {
    private final MessageDigest digest;
    private final long limit;
    private final CompletableFuture<Long> taken = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long count;

    DigestingBody(MessageDigest digest, long limit) {
        this.digest = digest;
        this.limit = limit;
    }

    @Override
    public CompletionStage<Long> getBody() {
        return taken;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            int take = (int) Math.min(buffer.remaining(), limit - count);
            if (take > 0) {
                ByteBuffer slice = buffer.slice();
                slice.limit(take);
                digest.update(slice);
                count += take;
            }
            if (count >= limit) {
                subscription.cancel();
                taken.complete(count);
                return;
            }
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        taken.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        taken.complete(count);
    }
}
