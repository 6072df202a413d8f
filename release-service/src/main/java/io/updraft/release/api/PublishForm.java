package io.updraft.release.api;

import io.updraft.release.service.signing.SignatureCheck;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.release.service.ZchunkArtifacts;
import io.updraft.release.service.storage.InvalidZchunkException;
import io.updraft.release.service.storage.Spool;
import io.updraft.release.service.storage.StorageFullException;
import io.updraft.support.validation.Inputs;
import io.updraft.support.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a multipart publish request, read in one pass as they arrive: text parts are kept (at most 64 KiB
 * each), each {@code file} part is written to the spool and hashed chunk by chunk, {@code signature} parts are kept
 * in memory (at most 64 KiB). Closing the form deletes spooled files nobody moved into the store.
 */
final class PublishForm implements AutoCloseable {
    static final int MAX_TEXT = 64 * 1024;
    private static final ObjectMapper METADATA = new ObjectMapper();

    String metadata;
    String part;
    String draft;
    String artifacts;
    String delta;
    private Spool spool;
    /** The .zck files produced for {@code delta=zchunk}, named after their plain image + ".zck". */
    final List<SpooledPart> produced = new ArrayList<>();
    final List<String> sha256 = new ArrayList<>();
    final List<String> roles = new ArrayList<>();
    final List<SpooledPart> files = new ArrayList<>();
    final List<byte[]> signatures = new ArrayList<>();

    /** A {@code file} part: the filename the client gave and the spooled, hashed bytes. */
    record SpooledPart(String filename, Spool.SpooledFile spooled) {
    }

    /**
     * @param contentLength the request's announced length, or null (chunked): a request announcing more than the
     *        spool's volume has free is refused when its first file part starts, before a byte of it is written
     */
    static PublishForm read(InputStream body, String contentType, Spool spool, Long contentLength) {
        PublishForm form = new PublishForm();
        form.spool = spool;
        String receiving = null;
        try {
            MultipartReader reader = new MultipartReader(body, MultipartReader.boundary(contentType));
            for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
                if (part.name().equals("file")) {
                    receiving = part.filename();
                    if (form.files.isEmpty() && contentLength != null) {
                        spool.requireRoom(contentLength);
                    }
                }
                switch (part.name()) {
                    case "metadata" -> form.metadata = single(form.metadata, part);
                    case "part" -> form.part = single(form.part, part);
                    case "draft" -> form.draft = single(form.draft, part);
                    case "artifacts" -> form.artifacts = single(form.artifacts, part);
                    case "delta" -> form.delta = single(form.delta, part);
                    case "sha256" -> form.sha256.add(part.text(1024));
                    case "role" -> form.roles.add(part.text(1024));
                    case "signature" -> form.signatures.add(part.bytes(SignatureCheck.MAX_SIGNATURE));
                    case "file" -> form.files.add(new SpooledPart(part.filename(), spool.receive(part.content())));
                    default -> {
                        // not ours: skipped (and counted against the size limit) by the next call
                    }
                }
            }
            return form;
        } catch (StorageFullException e) {
            form.close();
            throw e.about(form.describe(receiving));
        } catch (InvalidZchunkException e) {
            form.close();
            throw ZchunkArtifacts.refused(form.describe(receiving), e);
        } catch (IOException e) {
            form.close();
            throw ProblemException.badRequest("the upload broke off before its end (" + e.getMessage()
                    + "); nothing was stored");
        } catch (RuntimeException e) {
            form.close();
            throw e;
        }
    }

    /**
     * For {@code delta=zchunk}: the .zck of each file part that is not one already, written to the spool beside it
     * (zck -u --chunk-hash-type sha256, what SWUpdate's delta handler reads). Any other value of {@code delta} is a
     * 400. Called once the request has been validated, so a refused request costs no compression.
     */
    void produceZchunks() {
        if (delta == null) {
            return;
        }
        if (!"zchunk".equals(delta.strip())) {
            throw ProblemException.badRequest("'delta' must be 'zchunk' (produce a .zck of each file) or absent");
        }
        for (SpooledPart file : files) {
            if (file.spooled().zchunk() != null) {
                continue;
            }
            try {
                produced.add(new SpooledPart(file.filename() + ZchunkArtifacts.SUFFIX,
                        spool.zchunkOf(file.spooled().path())));
            } catch (StorageFullException e) {
                throw e.about(describe(file.filename() + ZchunkArtifacts.SUFFIX));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the .zck of " + file.filename(), e);
            }
        }
    }

    /**
     * "release gw-firmware 1.2.0, artifact fw.swu", from what has arrived so far (metadata comes first from the CLI
     * and curl); only identifiers are repeated back, the metadata is validated later.
     */
    String describe(String filename) {
        String release = "a release";
        try {
            JsonNode json = metadata == null ? null : METADATA.readTree(metadata);
            String name = json == null ? null : json.path("name").asText(null);
            String version = json == null ? null : json.path("version").asText(null);
            if (Inputs.isIdentifier(name, 100) && Inputs.isIdentifier(version, 100)) {
                release = "release " + name + " " + version;
            }
        } catch (IOException notJson) {
            // refused later for what it is; the storage error stands
        }
        String artifact = PublishRequestReader.usableFilename(filename);
        return artifact == null ? release : release + ", artifact " + artifact;
    }

    private static String single(String previous, MultipartReader.Part part) throws IOException {
        if (previous != null) {
            throw ProblemException.badRequest("part '" + part.name() + "' appears twice");
        }
        return part.text(MAX_TEXT);
    }

    @Override
    public void close() {
        for (SpooledPart file : java.util.stream.Stream.concat(files.stream(), produced.stream()).toList()) {
            try {
                Files.deleteIfExists(file.spooled().path());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete spooled upload " + file.spooled().path(), e);
            }
        }
    }
}
