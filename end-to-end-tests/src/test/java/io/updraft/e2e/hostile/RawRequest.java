package io.updraft.e2e.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written byte for byte to a loopback socket: the raw target is sent exactly as given (no client
 * normalises {@code ..}, {@code %2F} or a NUL away), and the answer is read to the end of the connection.
 *
 * @param service which service it targets (for the counts)
 * @param credential how it authenticates (NONE, FORGED, VALID, …)
 * @param expectation whether a 2xx may be a legitimate answer (a read with valid credentials) or the request must be
 *        refused
 */
public record RawRequest(String service, int port, String method, String target, Map<String, String> headers,
        byte[] body, Credential credential, Expectation expectation, String label) {

    public enum Credential {
        /** No Authorization header at all. */
        NONE,
        /** Not a token: garbage, a wrong scheme, a malformed header. */
        MALFORMED,
        /** Signed by a key the services do not trust. */
        FORGED,
        /** Signed by the right key, expired an hour ago. */
        EXPIRED,
        /** Signed by the right key, minted for another API (another {@code aud}). */
        WRONG_AUDIENCE,
        /** Valid, but of a role the endpoint does not accept. */
        WRONG_ROLE,
        /** A device's TargetToken used for another device. */
        OTHER_DEVICE,
        /** Valid credentials for what is asked (the input itself is hostile). */
        VALID;

        public boolean authenticates() {
            return this == VALID;
        }
    }

    public enum Expectation {
        /** Must be answered 4xx: hostile input or no valid credentials. */
        REFUSED,
        /** A read with valid credentials whose hostile part may be ignored (an unknown query parameter): 2xx is fine. */
        READ_MAY_SUCCEED
    }

    /** The answer: status 0 means the connection failed or timed out. */
    public record Answer(int status, String contentType, String bodyExcerpt, String error) {
        public boolean problemJson() {
            return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/problem+json");
        }
    }

    public Answer send(int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes(method.getBytes(StandardCharsets.ISO_8859_1));
            head.write(' ');
            head.writeBytes(target.getBytes(StandardCharsets.ISO_8859_1));
            head.writeBytes(" HTTP/1.1\r\nHost: 127.0.0.1:".getBytes(StandardCharsets.US_ASCII));
            head.writeBytes((port + "\r\nConnection: close\r\n").getBytes(StandardCharsets.US_ASCII));
            Map<String, String> all = new LinkedHashMap<>(headers);
            if (body != null) {
                all.putIfAbsent("Content-Length", Integer.toString(body.length));
            }
            all.forEach((name, value) -> head.writeBytes((name + ": " + value + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1)));
            head.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            out.write(head.toByteArray());
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException refusedEarly) {
                    // a server may answer (413) and close before it has read the whole body: read that answer
                }
            }
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            return new Answer(0, null, "", e.toString());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(64 * 1024);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || text.length() < 12) {
            return new Answer(0, null, excerpt(text), "no HTTP status line");
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String contentType = null;
        String headerBlock = end < 0 ? text : text.substring(0, end);
        for (String line : headerBlock.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Type")) {
                contentType = line.substring(colon + 1).trim();
            }
        }
        return new Answer(status, contentType, excerpt(end < 0 ? "" : text.substring(end + 4)), null);
    }

    private static String excerpt(String text) {
        String flat = text.replaceAll("[\\r\\n]+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

    /** How the request is shown in a failure: method, service, credential, label and a bounded target. */
    public String describe() {
        String shown = target.length() > 160 ? target.substring(0, 160) + "…(" + target.length() + " chars)" : target;
        return method + " " + service + shown + " [" + credential + ", " + label + "]";
    }
}
