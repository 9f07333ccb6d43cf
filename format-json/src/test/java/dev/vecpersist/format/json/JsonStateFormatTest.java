package dev.vecpersist.format.json;

import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.testkit.StateFormatContract;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonStateFormatTest extends StateFormatContract {

    @Override
    protected StateFormat format() {
        return new JsonStateFormat();
    }

    @Test
    void refusesANewerMajorVersion() throws Exception {
        Path f = dir.resolve("future.json");
        Files.writeString(f, "{\"version\":\"3.0.0\",\"options\":{\"dimension\":2,\"metric\":\"dot\"},"
                + "\"stats\":{\"count\":0},\"vectors\":[],\"checksum\":\"crc32c:00000000\"}");
        assertThatThrownBy(() -> dev.vecpersist.testkit.StateFiles.read(format(), f))
                .isInstanceOf(IncompatibleStateException.class).hasMessageContaining("version 3");
    }
}
