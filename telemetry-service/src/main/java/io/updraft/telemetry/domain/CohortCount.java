package io.updraft.telemetry.domain;

import io.updraft.telemetry.service.CohortTally;
import java.time.Instant;

/** A cohort's install tally as it stood inside the transaction that read it, and when its first report happened. */
public record CohortCount(String cohort, CohortTally tally, Instant firstReportAt) {
}
