package io.updraft.gateway.api.ddi;

public record DdiLink(String href) {
}
