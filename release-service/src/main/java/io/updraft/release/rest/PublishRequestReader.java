package io.updraft.release.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.release.domain.ArtifactHashes;
import io.updraft.release.domain.HardwareTarget;
import io.updraft.release.domain.ReleaseState;
import io.updraft.release.domain.SemVer;
import io.updraft.release.service.ReleaseDraft;
import io.updraft.release.service.ReleaseDraft.DraftArtifact;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Turns the parts of a multipart publish request into a {@link ReleaseDraft}: every check that can reject the
 * request runs before anything is stored, then each spooled file is hashed in one streaming pass.
 */
@ApplicationScoped
public class PublishRequestReader {
    static final String DEFAULT_PART = "os";
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    @Inject
    ObjectMapper json;
    @Inject
    Validator validator;
    @Inject
    SignatureCheck signatureCheck;

    /**
     * @param expectedSha256 what CI computed, one per file in order (or none): a mismatch is a 422
     * @param signatures detached signatures, one per file in order (or none)
     */
    public ReleaseDraft read(String metadataJson, String part, List<FileUpload> files, List<String> expectedSha256,
            List<FileUpload> signatures, boolean draft) {
        ReleaseMetadata metadata = metadata(metadataJson);
        String module = part == null || part.isBlank() ? DEFAULT_PART : part.trim();
        if (!PART.matcher(module).matches()) {
            throw ProblemException.badRequest("part 'part' must be 1-100 characters of A-Z a-z 0-9 . _ -");
        }
        if (files == null || files.isEmpty()) {
            throw ProblemException.badRequest("at least one 'file' part with a filename is required");
        }
        List<String> filenames = filenames(files);
        List<String> expected = expectedSha256(expectedSha256, files.size());
        List<FileUpload> detached = signatures == null ? List.of() : signatures;
        if (!detached.isEmpty() && detached.size() != files.size()) {
            throw ProblemException.badRequest("send one 'signature' part per 'file' part, in the same order ("
                    + files.size() + " files, " + detached.size() + " signatures)");
        }
        List<DraftArtifact> artifacts = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileUpload file = files.get(i);
            ArtifactHashes hashes = hash(file);
            if (!expected.isEmpty() && !expected.get(i).equals(hashes.sha256())) {
                throw ProblemException.unprocessable("sha256 of " + filenames.get(i) + " is " + hashes.sha256()
                        + " but the publisher expected " + expected.get(i) + ": the upload is corrupt or not the"
                        + " file CI built; nothing was stored");
            }
            String signedBy = signatureCheck.check(filenames.get(i), file.uploadedFile(),
                    detached.isEmpty() ? null : detached.get(i).uploadedFile());
            artifacts.add(new DraftArtifact(module, filenames.get(i), file.uploadedFile(), hashes, signedBy));
        }
        List<HardwareTarget> hardware = metadata.hardware().stream().distinct()
                .map(h -> new HardwareTarget(h.model(), h.revision())).toList();
        return new ReleaseDraft(metadata.name(), metadata.version(),
                draft ? ReleaseState.DRAFT : ReleaseState.PUBLISHED, metadata.notes(),
                metadata.minInstalledVersion(), metadata.labels(), hardware, artifacts);
    }

    private static List<String> expectedSha256(List<String> values, int files) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        if (values.size() != files) {
            throw ProblemException.badRequest("send one 'sha256' part per 'file' part, in the same order (" + files
                    + " files, " + values.size() + " sha256 values)");
        }
        List<String> normalized = new ArrayList<>();
        for (String value : values) {
            String hex = value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT);
            if (!SHA256.matcher(hex).matches()) {
                throw ProblemException.badRequest("'sha256' must be 64 hexadecimal digits, got '" + value + "'");
            }
            normalized.add(hex);
        }
        return normalized;
    }

    private ReleaseMetadata metadata(String metadataJson) {
        if (metadataJson == null || metadataJson.isBlank()) {
            throw ProblemException.badRequest("part 'metadata' (release JSON) is required");
        }
        ReleaseMetadata metadata;
        try {
            metadata = json.readValue(metadataJson, ReleaseMetadata.class);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("part 'metadata' is not a release JSON object: " + e.getOriginalMessage());
        }
        if (metadata == null) {
            throw ProblemException.badRequest("part 'metadata' must be a JSON object");
        }
        Set<ConstraintViolation<ReleaseMetadata>> violations = validator.validate(metadata);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        if (metadata.minInstalledVersion() != null
                && SemVer.parse(metadata.minInstalledVersion()).compareTo(SemVer.parse(metadata.version())) >= 0) {
            throw ProblemException.unprocessable("minInstalledVersion " + metadata.minInstalledVersion()
                    + " must be lower than version " + metadata.version() + ": no device could upgrade to it");
        }
        return metadata;
    }

    private static List<String> filenames(List<FileUpload> files) {
        Set<String> seen = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (FileUpload file : files) {
            String name = baseName(file.fileName());
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > 255
                    || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '"')) {
                throw ProblemException.badRequest("file part has no usable filename: '" + file.fileName() + "'");
            }
            if (!seen.add(name)) {
                throw ProblemException.badRequest("filename '" + name + "' appears twice in one release");
            }
            names.add(name);
        }
        return names;
    }

    /** Some clients send the client-side path; only the last segment names the artifact. */
    private static String baseName(String filename) {
        if (filename == null) {
            return "";
        }
        int slash = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
        return filename.substring(slash + 1).trim();
    }

    private static ArtifactHashes hash(FileUpload file) {
        try {
            return ArtifactHashes.of(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spooled upload " + file.fileName(), e);
        }
    }
}
