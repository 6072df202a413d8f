package io.updraft.gateway.api;

/** DDI agents send and accept both plain JSON and HAL JSON. */
final class DdiMediaTypes {
    static final String JSON = "application/json";
    static final String HAL_JSON = "application/hal+json";

    private DdiMediaTypes() {
    }
}
