package io.updraft.release.service;

import io.updraft.release.domain.ReleaseSnapshot;

/** The outcome of a publish: a new release, or the identical one that already existed. */
public record Publication(ReleaseSnapshot release, boolean created) {
}
