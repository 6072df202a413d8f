package io.updraft.release;

import java.io.InputStream;
import java.util.Random;

/** Hands out bytes 1 to {@code maxRead} at a time (seeded, so repeatable), as a network does. */
public final class Trickle extends InputStream {
    private final byte[] bytes;
    private final int maxRead;
    private final Random sizes;
    private int position;

    public Trickle(byte[] bytes, int maxRead, long seed) {
        this.bytes = bytes;
        this.maxRead = maxRead;
        this.sizes = new Random(seed);
    }

    @Override
    public int read() {
        return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (position == bytes.length) {
            return -1;
        }
        int n = Math.min(Math.min(length, 1 + sizes.nextInt(maxRead)), bytes.length - position);
        System.arraycopy(bytes, position, target, offset, n);
        position += n;
        return n;
    }
}
