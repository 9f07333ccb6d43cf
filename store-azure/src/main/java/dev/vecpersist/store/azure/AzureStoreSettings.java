package dev.vecpersist.store.azure;

import dev.vecpersist.api.PersistenceException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The validated settings of an {@link AzureSnapshotStore}, parsed from the string map a user gives
 * {@code PersistenceOptions.snapshotStoreSettings}. Exactly one way to authenticate: a connection
 * string, or an endpoint with a SAS token, or an endpoint with {@code credential=default}
 * (DefaultAzureCredential, from the optional {@code com.azure:azure-identity}). Every problem is a
 * {@link PersistenceException} naming the setting; {@link #toString()} never shows a secret.
 *
 * @param container        the blob container holding the snapshots (it must exist)
 * @param prefix           the blob name prefix, empty or ending with {@code /}
 * @param connectionString an account connection string, or null
 * @param endpoint         the account's blob endpoint (with {@code sasToken} or the default credential), or null
 * @param sasToken         a shared access signature for the endpoint, or null
 * @param defaultCredential whether to sign in with DefaultAzureCredential
 * @param blockSizeBytes   the size of each staged block (also the upload buffer's size)
 * @param maxAttempts      attempts per request, retries of transient failures included
 * @param timeout          how long one request may take
 * @param verify           how an uploaded data blob is checked before the snapshot counts as stored
 */
public record AzureStoreSettings(String container, String prefix, String connectionString, URI endpoint,
                                 String sasToken, boolean defaultCredential, int blockSizeBytes, int maxAttempts,
                                 Duration timeout, Verify verify) {

    /** How an uploaded data blob is verified before its metadata is written. */
    public enum Verify {
        /** The blob is downloaded once, streaming, and its SHA-256 compared: the default. */
        READBACK,
        /** Only the blob's size is compared (each block is still checked by the service with its MD5). */
        SIZE
    }

    public static final String CONTAINER = "container";
    public static final String PREFIX = "prefix";
    public static final String CONNECTION_STRING = "connectionString";
    public static final String ENDPOINT = "endpoint";
    public static final String SAS_TOKEN = "sasToken";
    public static final String CREDENTIAL = "credential";
    public static final String BLOCK_SIZE_MB = "blockSizeMb";
    public static final String MAX_ATTEMPTS = "maxAttempts";
    public static final String TIMEOUT_SECONDS = "timeoutSeconds";
    public static final String VERIFY = "verify";

    /** Every setting this store understands; anything else is a typo and is rejected. */
    public static final Set<String> KNOWN = Set.of(CONTAINER, PREFIX, CONNECTION_STRING, ENDPOINT, SAS_TOKEN,
            CREDENTIAL, BLOCK_SIZE_MB, MAX_ATTEMPTS, TIMEOUT_SECONDS, VERIFY);

    public static final int DEFAULT_BLOCK_SIZE_MB = 8;
    public static final int MAX_BLOCK_SIZE_MB = 256;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    private static final int MIB = 1024 * 1024;
    // Azure's rule: 3-63 lower-case letters, digits and single dashes, starting with a letter or digit
    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");

    public AzureStoreSettings {
        if (container == null || !CONTAINER_NAME.matcher(container).matches()) {
            throw invalid(CONTAINER, container, "a container name (3-63 lower-case letters, digits and single '-')");
        }
        prefix = normalizePrefix(prefix);
        int ways = (connectionString != null ? 1 : 0) + (sasToken != null ? 1 : 0) + (defaultCredential ? 1 : 0);
        if (ways != 1) {
            throw new PersistenceException("Azure snapshot store: give exactly one of '" + CONNECTION_STRING + "', '"
                    + SAS_TOKEN + "' (with '" + ENDPOINT + "') or '" + CREDENTIAL + "=default' (with '" + ENDPOINT
                    + "')");
        }
        if (connectionString == null && endpoint == null) {
            throw new PersistenceException("Azure snapshot store: setting '" + ENDPOINT
                    + "' is required with '" + (sasToken != null ? SAS_TOKEN : CREDENTIAL) + "'");
        }
        if (blockSizeBytes < MIB || blockSizeBytes > MAX_BLOCK_SIZE_MB * MIB) {
            throw invalid(BLOCK_SIZE_MB, String.valueOf(blockSizeBytes / MIB), "from 1 to " + MAX_BLOCK_SIZE_MB);
        }
        if (maxAttempts < 1 || timeout == null || timeout.isNegative() || timeout.isZero() || verify == null) {
            throw new PersistenceException("Azure snapshot store: invalid retry, timeout or verify setting");
        }
    }

    /**
     * Parses and validates settings.
     *
     * @param settings the user's settings
     * @return the settings
     * @throws PersistenceException naming the first setting that is missing, unknown or invalid
     */
    public static AzureStoreSettings parse(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw new PersistenceException("Azure snapshot store: unknown setting '" + unknown.iterator().next()
                    + "'; the settings are " + new TreeSet<>(KNOWN));
        }
        String container = blankToNull(settings.get(CONTAINER));
        if (container == null) {
            throw new PersistenceException("Azure snapshot store: setting '" + CONTAINER + "' is required");
        }
        String credential = blankToNull(settings.get(CREDENTIAL));
        if (credential != null && !credential.equalsIgnoreCase("default")) {
            throw invalid(CREDENTIAL, credential, "'default' (DefaultAzureCredential)");
        }
        String sas = blankToNull(settings.get(SAS_TOKEN));
        if (sas != null && sas.startsWith("?")) {
            sas = sas.substring(1);
        }
        String verify = blankToNull(settings.get(VERIFY));
        Verify mode = Verify.READBACK;
        if (verify != null) {
            try {
                mode = Verify.valueOf(verify.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid(VERIFY, verify, "readback or size");
            }
        }
        return new AzureStoreSettings(container, settings.get(PREFIX), blankToNull(settings.get(CONNECTION_STRING)),
                endpoint(blankToNull(settings.get(ENDPOINT))), sas, credential != null,
                integer(settings, BLOCK_SIZE_MB, DEFAULT_BLOCK_SIZE_MB, 1, MAX_BLOCK_SIZE_MB) * MIB,
                integer(settings, MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1, 20),
                Duration.ofSeconds(integer(settings, TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS, 1, 3600)), mode);
    }

    /** Where the store is, for messages: {@code container/prefix} and how it signs in, never a secret. */
    public String describe() {
        String how = connectionString != null ? "connection string" : sasToken != null ? "SAS token" : "DefaultAzureCredential";
        return "azure container '" + container + "', prefix '" + prefix + "' (" + (endpoint != null ? endpoint + ", " : "")
                + how + ")";
    }

    @Override
    public String toString() {
        return "AzureStoreSettings[" + describe() + ", blockSize=" + blockSizeBytes / MIB + " MiB, maxAttempts="
                + maxAttempts + ", timeout=" + timeout.toSeconds() + " s, verify="
                + verify.name().toLowerCase(Locale.ROOT) + "]";
    }

    /** {@code "a/b"} and {@code "/a/b/"} become {@code "a/b/"}; null and blank become {@code ""}. */
    static String normalizePrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return "";
        }
        String p = prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.chars().anyMatch(Character::isISOControl) || p.contains("\\") || p.length() > 512) {
            throw invalid(PREFIX, prefix, "a blob name prefix of at most 512 characters, without control characters or '\\'");
        }
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }

    private static URI endpoint(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                throw invalid(ENDPOINT, value, "an https:// URL such as https://ACCOUNT.blob.core.windows.net");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid(ENDPOINT, value, "an https:// URL such as https://ACCOUNT.blob.core.windows.net");
        }
    }

    private static int integer(Map<String, String> settings, String key, int dflt, int min, int max) {
        String value = blankToNull(settings.get(key));
        if (value == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, value, "an integer from " + min + " to " + max);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static PersistenceException invalid(String key, String value, String expected) {
        return new PersistenceException("Azure snapshot store: setting '" + key + "' must be " + expected + ", got '"
                + value + "'");
    }
}
