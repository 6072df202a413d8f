package io.updraft.gateway.ddi;

public record DdiLink(String href) {
}
