package io.updraft.rollout.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.events.ActionType;
import io.updraft.rollout.domain.ApprovalPolicy;
import io.updraft.rollout.filter.FilterParser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Body of POST /api/v1/rollouts (and of its preview); everything but releaseId has a default.
 *
 * @param waves cumulative percentages, each either a number ({@code 20}) or {@code {"percent": 20, "approval": true}}
 * @param filter filter expression over attributes and installed version, combined with {@code target} by "and"
 * @param cohortBy attributes that cut each hardware cohort into canary strata
 * @param canaryPerCohort devices of every stratum wave 1 takes at least (0: percentages only)
 * @param approval which waves wait for {@code POST /rollouts/{id}/approve}, besides the ones flagged in {@code waves}
 */
public record CreateRolloutRequest(
        @Size(max = 200) String name,
        @NotBlank @Size(max = 64) String releaseId,
        Map<String, String> target,
        @Size(max = 100) List<JsonNode> waves,
        @DecimalMin("0.0") @DecimalMax("1.0") Double errorThreshold,
        @DecimalMin("0.0") @DecimalMax("1.0") Double successThreshold,
        String soakTime,
        ActionType actionType,
        @Valid RollbackPolicyRequest rollbackPolicy,
        @Size(max = FilterParser.MAX_LENGTH) String filter,
        @Size(max = 5) List<@NotBlank @Size(max = 100) String> cohortBy,
        @Min(0) @Max(10000) Integer canaryPerCohort,
        ApprovalPolicy approval) {

    public record RollbackPolicyRequest(
            @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double failureRateThreshold,
            @NotNull @Min(1) Integer minSampleSize) {
    }
}
