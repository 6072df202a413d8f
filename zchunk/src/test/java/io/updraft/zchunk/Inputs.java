package io.updraft.zchunk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Images of the kinds a device runs: random, repetitive, text-like, tiny, empty; a few MB at most. */
final class Inputs {

    private Inputs() {
    }

    static Map<String, byte[]> all() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("empty", new byte[0]);
        m.put("one-byte", new byte[] {42});
        m.put("small-100", random(100, 1));
        m.put("just-under-min-9000", random(9_000, 2));
        m.put("random-3MB", random(3 << 20, 3));
        m.put("zeros-1MB", new byte[1 << 20]);
        m.put("repetitive-2MB", repetitive(2 << 20));
        m.put("text-1MB", text(1 << 20, 4));
        m.put("image-like-4MB", imageLike(4 << 20, 5));
        return m;
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A 4 KiB random block repeated, with a few bytes changed here and there. */
    static byte[] repetitive(int size) {
        byte[] block = random(4096, 6);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = block[i % block.length];
        }
        Random r = new Random(7);
        for (int i = 0; i < 50; i++) {
            b[r.nextInt(size)] ^= 0x5a;
        }
        return b;
    }

    static byte[] text(int size, long seed) {
        String[] words = {"update", "device", "rollout", "chunk", "kernel", "rootfs", "delta", "zstd", "\n"};
        Random r = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        while (out.size() < size) {
            out.writeBytes((words[r.nextInt(words.length)] + " ").getBytes(StandardCharsets.US_ASCII));
        }
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, size);
    }

    /** Runs of zeros (free space), random (compressed files) and text, as a root filesystem image has. */
    static byte[] imageLike(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        int at = 0;
        while (at < size) {
            int run = Math.min(size - at, 1000 + r.nextInt(200_000));
            switch (r.nextInt(3)) {
                case 0 -> { }
                case 1 -> System.arraycopy(random(run, r.nextLong()), 0, b, at, run);
                default -> System.arraycopy(text(run, r.nextLong()), 0, b, at, run);
            }
            at += run;
        }
        return b;
    }

    /** {@code base} with {@code fraction} of its 4 KiB blocks overwritten by random bytes: the next version. */
    static byte[] changed(byte[] base, double fraction, long seed) {
        byte[] b = base.clone();
        Random r = new Random(seed);
        int blocks = b.length / 4096;
        for (int i = 0; i < blocks; i++) {
            if (r.nextDouble() < fraction) {
                byte[] fresh = random(4096, r.nextLong());
                System.arraycopy(fresh, 0, b, i * 4096, 4096);
            }
        }
        return b;
    }
}
