package io.updraft.release.api;

import io.updraft.support.problem.ProblemException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that may not grow past {@code updraft.upload.max-size}: the read that crosses the limit fails with
 * a 413, so a body that did not announce its length (chunked) is stopped there, and whatever was spooled of it is
 * deleted by the reader that fails.
 */
final class LimitedBody extends FilterInputStream {
    private final long limit;
    private long count;

    LimitedBody(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        // never ask for more than one byte past the limit: the body is refused before it is read further
        int n = super.read(target, offset, (int) Math.min(length, limit - count + 1));
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    private void counted(int n) {
        count += n;
        if (count > limit) {
            throw tooLarge(limit);
        }
    }

    static ProblemException tooLarge(long limit) {
        return new ProblemException(413, "Content too large", "the upload is larger than " + limit
                + " bytes, the most this service accepts (updraft.upload.max-size); nothing was stored");
    }
}
