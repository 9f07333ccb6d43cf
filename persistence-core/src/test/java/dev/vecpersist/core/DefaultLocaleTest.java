package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs in the surefire executions under the ar-SA and tr-TR default locales (and in the plain one):
 * proves the JVM really formats with that locale, then saves and loads with it.
 */
class DefaultLocaleTest {

    @TempDir
    Path dir;

    @Test
    void theConfiguredDefaultLocaleIsInForceAndSavesStillLoad() {
        String language = System.getProperty("user.language");
        System.out.println("DefaultLocaleTest: default locale " + Locale.getDefault().toLanguageTag());
        if ("ar".equals(language)) {
            assertThat(String.format("%d", 7)).isEqualTo("\u0667"); // ARABIC-INDIC DIGIT SEVEN
        } else if ("tr".equals(language)) {
            assertThat("TITLE".toLowerCase()).isEqualTo("t\u0131tle"); // dotless i
        }
        VectorDB db = new VectorDB(2, Metric.EUCLIDEAN);
        db.insert(new VectorEntry("ID", new float[] {1, 2}, Map.of("INFO", 1.5)));
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).build())) {
            assertThat(p.save().getFileName().toString()).isEqualTo("state-0000000001.json");
        }
        VectorDB back = new VectorDB(2, Metric.EUCLIDEAN);
        try (DatabasePersistence p = new DatabasePersistence(back, PersistenceOptions.builder().baseDir(dir).build())) {
            p.load();
        }
        assertThat(back.get("ID")).hasValueSatisfying(e -> assertThat(e.metadata()).isEqualTo(Map.of("INFO", 1.5)));
    }
}
