package io.updraft.zchunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chunker's own rules; that its boundaries are libzck's is ZchunkToolsIT's job. */
class BuzhashChunkerTest {

    @Test
    void chunks_concatenate_to_the_input_and_stay_within_8_to_128_KiB_however_the_input_is_split() throws Exception {
        byte[] input = Inputs.imageLike(3 << 20, 41);
        List<Integer> whole = chunk(input, input.length);
        List<Integer> pieces = chunk(input, 777);
        assertThat(pieces).isEqualTo(whole);
        assertThat(whole.stream().mapToInt(Integer::intValue).sum()).isEqualTo(input.length);
        assertThat(whole.subList(0, whole.size() - 1)).allSatisfy(n -> assertThat(n).isBetween(
                BuzhashChunker.AUTO_MIN, BuzhashChunker.AUTO_MAX));
    }

    @Test
    void a_run_of_any_single_byte_value_ends_in_chunks_and_never_loops() {
        // libzck re-hashes the byte where it found a boundary: a constant window whose hash matched below the
        // minimum would never advance. No byte value does that; this would hang (and be cut off) if one did.
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            for (int v = 0; v < 256; v++) {
                byte[] run = new byte[300_000];
                java.util.Arrays.fill(run, (byte) v);
                assertThat(chunk(run, run.length).stream().mapToInt(Integer::intValue).sum()).isEqualTo(run.length);
            }
        });
    }

    private static List<Integer> chunk(byte[] input, int piece) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        BuzhashChunker c = new BuzhashChunker((bytes, length) -> {
            sizes.add(length);
            joined.write(bytes, 0, length);
        });
        for (int at = 0; at < input.length; at += piece) {
            c.update(input, at, Math.min(piece, input.length - at));
        }
        c.finish();
        assertThat(joined.toByteArray()).isEqualTo(input);
        return sizes;
    }
}
