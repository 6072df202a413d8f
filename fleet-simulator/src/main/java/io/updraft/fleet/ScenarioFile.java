package io.updraft.fleet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads a {@link FleetScenario} from a JSON or YAML file (by extension; durations in ISO-8601, e.g. {@code PT2S}).
 * Unknown fields and bad values are refused with the field's path, so a typo never silently becomes a default.
 */
public final class ScenarioFile {
    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));
    private static final ObjectMapper JSON = configure(new ObjectMapper());

    private ScenarioFile() {
    }

    public static FleetScenario load(Path file) throws IOException {
        String name = file.getFileName().toString();
        ObjectMapper mapper = name.endsWith(".json") ? JSON : YAML;
        return parse(mapper, Files.readString(file), name);
    }

    public static FleetScenario parseYaml(String text) {
        return parse(YAML, text, "scenario");
    }

    public static FleetScenario parseJson(String text) {
        return parse(JSON, text, "scenario");
    }

    private static FleetScenario parse(ObjectMapper mapper, String text, String source) {
        try {
            return mapper.readValue(text, FleetScenario.class);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            String reason = cause == e ? e.getOriginalMessage() : cause.getMessage();
            throw new IllegalArgumentException(source + ": " + (path.isEmpty() ? "" : path + ": ") + reason, e);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not valid " + (mapper == JSON ? "JSON" : "YAML") + ": "
                    + e.getMessage(), e);
        }
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
