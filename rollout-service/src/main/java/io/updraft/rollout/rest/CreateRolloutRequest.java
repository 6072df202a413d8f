package io.updraft.rollout.rest;

import io.updraft.events.ActionType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** Body of POST /api/v1/rollouts; everything but releaseId has a default. */
public record CreateRolloutRequest(
        @Size(max = 200) String name,
        @NotBlank @Size(max = 64) String releaseId,
        Map<String, String> target,
        List<Integer> waves,
        @DecimalMin("0.0") @DecimalMax("1.0") Double errorThreshold,
        @DecimalMin("0.0") @DecimalMax("1.0") Double successThreshold,
        String soakTime,
        ActionType actionType,
        @Valid RollbackPolicyRequest rollbackPolicy) {

    public record RollbackPolicyRequest(
            @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double failureRateThreshold,
            @NotNull @Min(1) Integer minSampleSize) {
    }
}
