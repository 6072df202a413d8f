package io.updraft.gateway.api;

import static io.updraft.gateway.api.DdiMediaTypes.HAL_JSON;
import static io.updraft.gateway.api.DdiMediaTypes.JSON;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.gateway.api.ddi.DdiPoll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Writes the poll answer. The "nothing new" answer — almost every poll of a fleet — differs only in its sleep, so it
 * is its fixed bytes around the eight characters of {@code HH:MM:SS}, handed to the response in one piece (no
 * serializer lookup, generator or output stream per poll); an answer with links goes through Jackson as any other.
 * The bytes are exactly Jackson's ({@code DdiPollWriterTest}).
 */
@Provider
@Produces({ JSON, HAL_JSON })
public class DdiPollWriter implements ServerMessageBodyWriter<DdiPoll> {
    private static final byte[] BEFORE_SLEEP = "{\"config\":{\"polling\":{\"sleep\":\""
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AFTER_SLEEP = "\"}},\"_links\":{}}".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper json;

    @Inject
    public DdiPollWriter(ObjectMapper json) {
        this.json = json;
    }

    /** The answer's bytes: by hand when it has no links and a plain {@code HH:MM:SS} sleep, else Jackson's. */
    public byte[] bytes(DdiPoll poll) throws IOException {
        String sleep = poll.config() == null || poll.config().polling() == null ? null : poll.config().polling().sleep();
        if (poll.links() != null && poll.links().isEmpty() && isClock(sleep)) {
            byte[] bytes = new byte[BEFORE_SLEEP.length + 8 + AFTER_SLEEP.length];
            System.arraycopy(BEFORE_SLEEP, 0, bytes, 0, BEFORE_SLEEP.length);
            for (int i = 0; i < 8; i++) {
                bytes[BEFORE_SLEEP.length + i] = (byte) sleep.charAt(i);
            }
            System.arraycopy(AFTER_SLEEP, 0, bytes, BEFORE_SLEEP.length + 8, AFTER_SLEEP.length);
            return bytes;
        }
        return json.writeValueAsBytes(poll);
    }

    /** Exactly eight characters of digits and colons: nothing in it that JSON would escape. */
    private static boolean isClock(String sleep) {
        if (sleep == null || sleep.length() != 8) {
            return false;
        }
        for (int i = 0; i < 8; i++) {
            char c = sleep.charAt(i);
            if ((c < '0' || c > '9') && c != ':') {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
            MediaType mediaType) {
        return DdiPoll.class.equals(type);
    }

    @Override
    public void writeResponse(DdiPoll poll, Type genericType, ServerRequestContext context) throws IOException {
        context.serverResponse().end(bytes(poll));
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return DdiPoll.class.equals(type);
    }

    @Override
    public void writeTo(DdiPoll poll, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
        entityStream.write(bytes(poll));
    }
}
