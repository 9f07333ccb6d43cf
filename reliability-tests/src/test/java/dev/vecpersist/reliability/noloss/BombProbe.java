package dev.vecpersist.reliability.noloss;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Path;

/**
 * Child process of {@link DecompressionBombTest} (run at -Xmx512m): loads each file given and
 * prints {@code TYPED <file> <exception class>: <message>}, {@code LOADED <file>} or
 * {@code UNTYPED <file> <throwable>} (an {@link Error} included).
 */
public final class BombProbe {

    private BombProbe() {
    }

    public static void main(String[] args) {
        Path scratch = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            Path file = Path.of(args[i]);
            VectorDB db = new VectorDB(DecompressionBombTest.DIMENSION, Metric.COSINE);
            try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(scratch).build())) {
                p.load(file);
                System.out.println("LOADED " + file.getFileName());
            } catch (PersistenceException e) {
                System.out.println("TYPED " + file.getFileName() + " " + e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (Throwable t) {
                System.out.println("UNTYPED " + file.getFileName() + " " + t);
            }
        }
    }
}
