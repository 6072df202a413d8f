package io.updraft.release.api;

import io.updraft.events.SemVer;
import io.updraft.support.validation.SafeText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * The {@code metadata} part of a publish request. Unknown fields are ignored. {@code minInstalledVersion}: devices
 * must run at least this version to take the release (the upgrade path); it must be lower than {@code version}.
 */
public record ReleaseMetadata(
        @NotNull @Pattern(regexp = NAME, message = "must be 1-100 characters of A-Z a-z 0-9 . _ -") String name,
        @NotNull @Size(max = 256) @Pattern(regexp = SemVer.REGEX, message = "must be a SemVer 2.0 version such as 1.4.2") String version,
        @NotEmpty(message = "must list at least one hardware model and revision") List<@NotNull @Valid Hardware> hardware,
        @SafeText(max = 10_000, multiline = true) String notes,
        @Size(max = 256) @Pattern(regexp = SemVer.REGEX, message = "must be a SemVer 2.0 version such as 1.0.0") String minInstalledVersion,
        @Size(max = 50, message = "at most 50 labels") Map<@NotNull @Pattern(regexp = LABEL_KEY, message = "label keys are 1-100 characters of A-Z a-z 0-9 . _ / -") String, @NotNull @SafeText(max = 500) String> labels) {

    public static final String NAME = "[A-Za-z0-9._-]{1,100}";
    public static final String LABEL_KEY = "[A-Za-z0-9._/-]{1,100}";

    public ReleaseMetadata {
        labels = labels == null ? Map.of() : labels;
    }

    /** Revision "*" means any revision of the model. */
    public record Hardware(@NotBlank @SafeText(max = 100) String model, @NotBlank @SafeText(max = 100) String revision) {
    }
}
