package io.updraft.gateway.api.ddi;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** Poll answer: {@code {"config":{"polling":{"sleep":"HH:MM:SS"}},"_links":{...}}}; links only when they apply. */
public record DdiPoll(Config config, @JsonProperty("_links") Map<String, DdiLink> links) {
    public record Config(Polling polling) {
    }

    public record Polling(String sleep) {
    }
}
