package io.updraft.release.service;

import io.updraft.release.rest.ReleaseView;

/** The outcome of a publish: a new release, or the identical one that already existed. */
public record Publication(ReleaseView release, boolean created) {
}
