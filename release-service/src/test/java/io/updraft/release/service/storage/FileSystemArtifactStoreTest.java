package io.updraft.release.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.release.domain.ArtifactHashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemArtifactStoreTest {
    @TempDir
    Path dir;

    @Test
    void givenAnUpload_whenStored_thenItIsFoundUnderItsSha256AndNoTemporaryFileRemains() throws Exception {
        FileSystemArtifactStore store = new FileSystemArtifactStore(dir.resolve("store"));
        Path upload = upload("upload-1", "firmware bytes");
        String sha256 = ArtifactHashes.of(upload).sha256();

        store.put(upload, ArtifactHashes.of(upload));

        assertThat(store.locate(sha256)).hasValueSatisfying(p -> assertThat(p).hasContent("firmware bytes"));
        try (Stream<Path> files = Files.list(dir.resolve("store"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(sha256);
        }
    }

    @Test
    void givenBytesAlreadyStored_whenTheSameBytesArriveAgain_thenTheStoredCopyIsKept() throws Exception {
        FileSystemArtifactStore store = new FileSystemArtifactStore(dir.resolve("store"));
        Path first = upload("upload-1", "same bytes");
        ArtifactHashes hashes = ArtifactHashes.of(first);
        String sha256 = hashes.sha256();
        store.put(first, hashes);

        store.put(upload("upload-2", "same bytes"), hashes);

        assertThat(store.locate(sha256)).hasValueSatisfying(p -> assertThat(p).hasContent("same bytes"));
    }

    @Test
    void givenUnknownOrMalformedHashes_whenLocating_thenNothingOrRejected() {
        FileSystemArtifactStore store = new FileSystemArtifactStore(dir.resolve("store"));

        assertThat(store.locate("0".repeat(64))).isEmpty();
        assertThatThrownBy(() -> store.locate("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenAStagedUpload_whenAdopted_thenItIsRenamedUnderItsSha256AndAdoptingAgainIsHarmless() throws Exception {
        FileSystemArtifactStore store = new FileSystemArtifactStore(dir.resolve("store"));
        Path upload = upload("upload-1", "staged bytes");
        ArtifactHashes hashes = ArtifactHashes.of(upload);
        String sha256 = hashes.sha256();
        String uploadId = "0b6f7c1e-3d2a-4f5e-9a8b-1c2d3e4f5a6b";

        store.stage(upload, uploadId, hashes);
        assertThat(store.locateStaged(uploadId)).isPresent();
        assertThat(store.locate(sha256)).isEmpty();

        store.adopt(uploadId, sha256);
        store.adopt(uploadId, sha256);

        assertThat(store.locateStaged(uploadId)).isEmpty();
        assertThat(store.locate(sha256)).hasValueSatisfying(p -> assertThat(p).hasContent("staged bytes"));
        assertThatThrownBy(() -> store.adopt("1b6f7c1e-3d2a-4f5e-9a8b-1c2d3e4f5a6b", sha256.replace('a', 'b')))
                .isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> store.stage(upload, "../escape", hashes)).isInstanceOf(IllegalArgumentException.class);
    }

    private Path upload(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}
