package dev.vecpersist.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reference module's files come from the class path, complete and byte for byte. */
class FixturesTest {

    @Test
    void theListNamesExactlyTheFilesOfTheResourceFolder() throws IOException, URISyntaxException {
        Path resources = Path.of(Fixtures.class.getClassLoader().getResource("reference-module/README.md").toURI()).getParent();
        try (Stream<Path> files = Files.walk(resources)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> resources.relativize(p).toString().replace('\\', '/')))
                    .containsExactlyInAnyOrderElementsOf(Fixtures.REFERENCE_MODULE_FILES);
        }
    }

    @Test
    void theCopyIsByteIdenticalToTheResources() throws IOException {
        Path dir = Fixtures.referenceModule();
        assertThat(Fixtures.referenceModule()).as("one copy per JVM").isSameAs(dir);
        for (String name : Fixtures.REFERENCE_MODULE_FILES) {
            try (InputStream in = Fixtures.openReferenceFile(name)) {
                assertThat(Files.readAllBytes(dir.resolve(name))).as(name).isEqualTo(in.readAllBytes());
            }
        }
    }

    @Test
    void theSnapshotDataMatchesTheSha256ItsMetadataRecorded() throws IOException, NoSuchAlgorithmException {
        // a line-ending conversion or a truncated copy would change it
        String data = "snapshots/023aed0b-2763-411e-b17b-38a0985d4ba2.json";
        String meta = Files.readString(Fixtures.referenceModule().resolve("snapshots/023aed0b-2763-411e-b17b-38a0985d4ba2.meta.json"));
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(Fixtures.referenceModule().resolve(data))));
        assertThat(meta).contains("\"checksum\": \"" + sha256 + "\"");
    }

    @Test
    void anUnknownNameIsAClearError() {
        assertThatThrownBy(() -> Fixtures.openReferenceFile("missing.json"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("reference-module/missing.json");
    }
}
