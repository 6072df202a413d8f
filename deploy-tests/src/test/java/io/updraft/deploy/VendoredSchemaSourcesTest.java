package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The schemas the manifests are validated against are the upstream files SOURCES.md names: each vendored file hashes to
 * the sha256 recorded there (gzipped ones: their uncompressed content), and no file is vendored without a row.
 */
class VendoredSchemaSourcesTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|.*\\| `([0-9a-f]{64})` \\|$");

    @Test
    void everyVendoredFileIsTheUpstreamFileSourcesMdNames() throws IOException {
        Path vendor = Repo.deploy().resolve("vendor");
        Map<String, String> recorded = new TreeMap<>();
        for (String line : Files.readAllLines(vendor.resolve("SOURCES.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                recorded.put(row.group(1), row.group(2));
            }
        }
        Map<String, String> actual = new TreeMap<>();
        try (Stream<Path> files = Files.walk(vendor)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = vendor.relativize(file).toString();
                if (!name.equals("SOURCES.md") && !name.equals("update.sh")) {
                    actual.put(name, sha256(file));
                }
            }
        }
        assertThat(recorded).as("SOURCES.md rows").hasSizeGreaterThan(10);
        assertThat(actual).as("the vendored files and their sha256, as SOURCES.md records them")
                .containsExactlyInAnyOrderEntriesOf(recorded);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
