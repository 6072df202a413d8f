package io.updraft.release.rest;

import io.updraft.release.domain.SemVer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The {@code metadata} part of a publish request. Unknown fields are ignored. */
public record ReleaseMetadata(
        @NotNull @Pattern(regexp = NAME, message = "must be 1-100 characters of A-Z a-z 0-9 . _ -") String name,
        @NotNull @Size(max = 256) @Pattern(regexp = SemVer.REGEX, message = "must be a SemVer 2.0 version such as 1.4.2") String version,
        @NotEmpty(message = "must list at least one hardware model and revision") List<@NotNull @Valid Hardware> hardware,
        @Size(max = 10_000) String notes) {

    public static final String NAME = "[A-Za-z0-9._-]{1,100}";

    /** Revision "*" means any revision of the model. */
    public record Hardware(@NotBlank @Size(max = 100) String model, @NotBlank @Size(max = 100) String revision) {
    }
}
