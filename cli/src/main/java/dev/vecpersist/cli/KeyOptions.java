package dev.vecpersist.cli;

import dev.vecpersist.core.crypto.EncryptionKeys;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --key-file FILE}, or else the {@value #VARIABLE} environment variable: the keys that
 * decrypt encrypted files and authenticate sealed manifests ({@code ID:BASE64KEY} items, the
 * primary key first; see {@link EncryptionKeys#parse(String)}).
 */
final class KeyOptions {

    /** The environment variable read when no key file is given. */
    static final String VARIABLE = "VECPERSIST_KEY";

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "Encryption keys, one ID:BASE64KEY per line, the primary key first "
                    + "(default: the " + VARIABLE + " environment variable, if set).")
    Path keyFile;

    /** {@return the keys from the file or the environment, or null when neither is given} */
    EncryptionKeys keys() {
        return load(keyFile);
    }

    static EncryptionKeys load(Path keyFile) {
        if (keyFile != null) {
            return EncryptionKeys.fromFile(keyFile);
        }
        String value = System.getenv(VARIABLE);
        return value == null || value.isBlank() ? null : EncryptionKeys.fromEnvironment(VARIABLE);
    }
}
