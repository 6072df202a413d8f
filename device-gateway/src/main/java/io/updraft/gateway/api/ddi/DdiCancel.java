package io.updraft.gateway.api.ddi;

/** cancelAction answer: {@code {"id":"11","cancelAction":{"stopId":"11"}}}. */
public record DdiCancel(String id, CancelAction cancelAction) {
    public record CancelAction(String stopId) {
    }
}
