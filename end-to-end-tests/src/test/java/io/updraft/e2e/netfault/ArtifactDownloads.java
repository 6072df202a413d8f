package io.updraft.e2e.netfault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The artifact downloads a gateway served, read from its HTTP access log (Quarkus'
 * {@code quarkus.http.access-log.*}, written with {@link #PATTERN}): which device asked, with which {@code Range},
 * and what the gateway answered.
 */
final class ArtifactDownloads {
    /** Settings that make a gateway write the access log this class reads. */
    static final Map<String, String> ACCESS_LOG = Map.of(
            "quarkus.http.access-log.enabled", "true",
            "quarkus.http.access-log.pattern", "%h \"%r\" %s %b range=\"%{i,Range}\"");
    private static final Pattern LINE = Pattern.compile(
            "\"GET /[^/]+/controller/v1/([^/]+)/softwaremodules/\\d+/artifacts/[^ \"]+ [^\"]*\" (\\d{3}) (\\d+|-) "
                    + "range=\"([^\"]*)\"");

    /** One answered download request. */
    record Download(String device, int status, long bytes, String range) {
        boolean ranged() {
            return status == 206 && range.startsWith("bytes=");
        }
    }

    private ArtifactDownloads() {
    }

    /** Every download of {@code device} in the log (the {@code .MD5SUM} files are downloads too: left out). */
    static List<Download> of(Path log, String device) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .map(LINE::matcher)
                .filter(Matcher::find)
                .filter(m -> m.group(1).equals(device))
                .filter(m -> !m.group(0).contains(".MD5SUM"))
                .map(m -> new Download(m.group(1), Integer.parseInt(m.group(2)),
                        m.group(3).equals("-") ? 0 : Long.parseLong(m.group(3)), m.group(4)))
                .toList();
    }
}
