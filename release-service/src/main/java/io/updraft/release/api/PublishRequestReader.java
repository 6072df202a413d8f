package io.updraft.release.api;

import io.updraft.release.service.signing.SignatureCheck;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.release.domain.ArtifactHashes;
import io.updraft.release.domain.ArtifactZchunk;
import io.updraft.release.service.ZchunkArtifacts;
import io.updraft.release.domain.HardwareTarget;
import io.updraft.release.domain.ReleaseState;
import io.updraft.events.ArtifactRef;
import io.updraft.events.SemVer;
import io.updraft.release.service.ReleaseDraft;
import io.updraft.release.service.ReleaseDraft.DraftArtifact;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Inputs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import io.updraft.release.service.ArtifactUploads;
import io.updraft.release.service.storage.ArtifactStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the parts of a multipart publish request into a {@link ReleaseDraft}. File parts were spooled and hashed while
 * they arrived ({@link PublishForm}); references to two-step uploads ({@code artifacts} part) are resolved to their
 * received, hashed bytes. Every check that can reject the request runs before anything is stored.
 */
@ApplicationScoped
public class PublishRequestReader {
    static final String DEFAULT_PART = "os";
    static final int MAX_FILENAME = 255;
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    @Inject
    ObjectMapper json;
    @Inject
    Validator validator;
    @Inject
    SignatureCheck signatureCheck;
    @Inject
    ArtifactUploads uploads;

    /** One entry of the {@code artifacts} part: a two-step upload to publish, with its optional checks. */
    public record ArtifactReference(String uploadId, String part, String sha256, String signature, String role) {
    }

    /**
     * Reads a publish: {@code sha256} parts (what CI computed, one per file in order, or none: a mismatch is a 422)
     * and {@code signature} parts (detached signatures, one per file in order, or none) go with the {@code file}
     * parts; each {@code artifacts} entry carries its own.
     */
    ReleaseDraft read(PublishForm form) {
        ReleaseMetadata metadata = metadata(form.metadata);
        String module = module(form.part, "part");
        List<ArtifactReference> references = references(form.artifacts);
        if (form.files.isEmpty() && references.isEmpty()) {
            throw ProblemException.badRequest("at least one 'file' part with a filename, or an 'artifacts' part"
                    + " referencing uploads, is required");
        }
        List<String> filenames = new ArrayList<>(filenames(form.files.stream().map(PublishForm.SpooledPart::filename)
                .toList()));
        List<String> expected = expectedSha256(form.sha256, form.files.size());
        List<String> roles = roles(form.roles, form.files.size());
        List<byte[]> detached = form.signatures;
        if (!detached.isEmpty() && detached.size() != form.files.size()) {
            throw ProblemException.badRequest("send one 'signature' part per 'file' part, in the same order ("
                    + form.files.size() + " files, " + detached.size() + " signatures)");
        }
        List<DraftArtifact> artifacts = new ArrayList<>();
        for (int i = 0; i < form.files.size(); i++) {
            PublishForm.SpooledPart file = form.files.get(i);
            ArtifactHashes hashes = file.spooled().hashes();
            checkExpected(filenames.get(i), hashes, expected.isEmpty() ? null : expected.get(i));
            ArtifactZchunk zchunk = ZchunkArtifacts.of(filenames.get(i), file.spooled());
            String signedBy = signatureCheck.check(filenames.get(i), hashes, file.spooled().path(),
                    detached.isEmpty() ? null : detached.get(i), signatureCheck.embedded(file.spooled().path()));
            artifacts.add(DraftArtifact.spooled(module, filenames.get(i), file.spooled().path(), hashes, signedBy,
                    zchunk, roleOf(filenames.get(i), roles.isEmpty() ? null : roles.get(i))));
        }
        Set<String> seen = new HashSet<>(filenames);
        for (String produced : form.files.stream().filter(f -> f.spooled().zchunk() == null && form.delta != null)
                .map(f -> f.filename() + ZchunkArtifacts.SUFFIX).toList()) {
            if (usableFilename(produced) == null || !seen.add(produced)) {
                throw ProblemException.badRequest("delta=zchunk would add '" + produced + "', which is too long or"
                        + " already a file of this release");
            }
        }
        form.produceZchunks();
        for (PublishForm.SpooledPart zck : form.produced) {
            // no signature of its own: SWUpdate trusts its chunks through the header embedded in the signed .swu
            artifacts.add(DraftArtifact.spooled(module, zck.filename(), zck.spooled().path(), zck.spooled().hashes(),
                    null, ArtifactZchunk.of(zck.spooled().zchunk()), ArtifactRef.DELTA_SOURCE));
        }
        for (ArtifactReference reference : references) {
            ArtifactUploads.ReceivedUpload upload = uploads.resolve(reference.uploadId());
            if (!seen.add(upload.filename())) {
                throw ProblemException.badRequest("filename '" + upload.filename() + "' appears twice in one release");
            }
            checkExpected(upload.filename(), upload.hashes(), reference.sha256());
            String signedBy = signatureCheck.check(upload.filename(), upload.hashes(), null,
                    signature(reference), upload.embedded());
            artifacts.add(DraftArtifact.uploaded(reference.part() == null ? module : module(reference.part(),
                    "artifacts[].part"), upload.filename(), upload.id(), upload.usedByRelease(), upload.hashes(),
                    signedBy, upload.zchunk(), roleOf(upload.filename(), reference.role())));
        }
        List<HardwareTarget> hardware = metadata.hardware().stream().distinct()
                .map(h -> new HardwareTarget(h.model(), h.revision())).toList();
        return new ReleaseDraft(metadata.name(), metadata.version(),
                "true".equalsIgnoreCase(form.draft == null ? null : form.draft.strip()) ? ReleaseState.DRAFT
                        : ReleaseState.PUBLISHED,
                metadata.notes(), metadata.minInstalledVersion(), metadata.labels(), hardware, artifacts);
    }

    private static String module(String part, String field) {
        String module = part == null || part.isBlank() ? DEFAULT_PART : part.trim();
        if (!PART.matcher(module).matches()) {
            throw ProblemException.badRequest("'" + field + "' must be 1-100 characters of A-Z a-z 0-9 . _ -");
        }
        return module;
    }

    private static void checkExpected(String filename, ArtifactHashes hashes, String expected) {
        if (expected != null && !expected.equals(hashes.sha256())) {
            throw ProblemException.unprocessable("sha256 of " + filename + " is " + hashes.sha256()
                    + " but the publisher expected " + expected + ": the upload is corrupt or not the"
                    + " file CI built; nothing was stored");
        }
    }

    private List<ArtifactReference> references(String artifactsJson) {
        if (artifactsJson == null || artifactsJson.isBlank()) {
            return List.of();
        }
        List<ArtifactReference> references;
        try {
            references = List.of(json.readValue(artifactsJson, ArtifactReference[].class));
        } catch (JsonProcessingException | NullPointerException e) {
            throw ProblemException.badRequest("part 'artifacts' must be a JSON array like [{\"uploadId\":\"…\"}]");
        }
        Set<String> ids = new HashSet<>();
        List<ArtifactReference> normalized = new ArrayList<>();
        for (ArtifactReference reference : references) {
            if (reference == null || reference.uploadId() == null
                    || !ArtifactStore.UPLOAD_ID.matcher(reference.uploadId()).matches()) {
                throw ProblemException.badRequest("every 'artifacts' entry needs the uploadId POST /api/v1/uploads"
                        + " answered");
            }
            if (!ids.add(reference.uploadId())) {
                throw ProblemException.badRequest("upload " + reference.uploadId() + " appears twice in 'artifacts'");
            }
            String sha256 = reference.sha256() == null ? null : normalizedSha256(reference.sha256());
            String role = reference.role() == null ? null : role(reference.role());
            normalized.add(new ArtifactReference(reference.uploadId(), reference.part(), sha256, reference.signature(),
                    role));
        }
        return normalized;
    }

    private static byte[] signature(ArtifactReference reference) {
        if (reference.signature() == null) {
            return null;
        }
        try {
            return Base64.getMimeDecoder().decode(reference.signature());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("artifacts[].signature must be the detached signature in base64");
        }
    }

    private static List<String> expectedSha256(List<String> values, int files) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        if (values.size() != files) {
            throw ProblemException.badRequest("send one 'sha256' part per 'file' part, in the same order (" + files
                    + " files, " + values.size() + " sha256 values)");
        }
        return values.stream().map(PublishRequestReader::normalizedSha256).toList();
    }

    /** The {@code role} parts: none, or one per file part in order, each {@code full} or {@code delta}. */
    private static List<String> roles(List<String> values, int files) {
        if (values.isEmpty()) {
            return List.of();
        }
        if (values.size() != files) {
            throw ProblemException.badRequest("send one 'role' part per 'file' part, in the same order (" + files
                    + " files, " + values.size() + " roles)");
        }
        return values.stream().map(PublishRequestReader::role).toList();
    }

    private static String role(String value) {
        String role = value.strip();
        if (!role.equals(ArtifactRef.FULL) && !role.equals(ArtifactRef.DELTA)) {
            throw ProblemException.badRequest("'role' must be 'full' or 'delta' (a .zck is always delta-source), got '"
                    + (Inputs.isLine(role, 40) ? role : "(" + value.length() + " characters)") + "'");
        }
        return role;
    }

    /** A .zck is delta-source whatever was said; no role said means full. */
    private static String roleOf(String filename, String said) {
        return new ArtifactRef(0, null, filename, 0, null, null, null, said).effectiveRole();
    }

    private static String normalizedSha256(String value) {
        String hex = value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT);
        if (!SHA256.matcher(hex).matches()) {
            throw ProblemException.badRequest("'sha256' must be 64 hexadecimal digits, got '" + value + "'");
        }
        return hex;
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

    private static List<String> filenames(List<String> given) {
        Set<String> seen = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (String filename : given) {
            String name = usableFilename(filename);
            if (name == null) {
                throw ProblemException.badRequest("a file part's filename must be 1-" + MAX_FILENAME
                        + " characters of A-Z a-z 0-9 . _ - ~ : @ +, starting with a letter or digit (no path)");
            }
            if (!seen.add(name)) {
                throw ProblemException.badRequest("filename '" + name + "' appears twice in one release");
            }
            names.add(name);
        }
        return names;
    }

    /**
     * The client's filename if it can name an artifact, else null: an identifier of at most 255 characters (letters,
     * digits and {@code . _ - ~ : @ +}, starting with a letter or digit). It ends up in download URLs and device
     * agents' file systems, so a path ({@code ../x}, {@code a/b}, {@code C:\\x}), white space, {@code %} or a
     * control character is refused rather than cut to something else.
     */
    public static String usableFilename(String filename) {
        return Inputs.isIdentifier(filename, MAX_FILENAME) ? filename : null;
    }
}
