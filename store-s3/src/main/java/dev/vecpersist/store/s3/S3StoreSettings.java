package dev.vecpersist.store.s3;

import dev.vecpersist.api.PersistenceException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The validated settings of an {@link S3SnapshotStore}, parsed from the string map a user gives
 * {@code PersistenceOptions.snapshotStoreSettings}. Every problem is reported as a
 * {@link PersistenceException} that names the setting.
 *
 * @param bucket          the bucket holding the snapshots (required)
 * @param prefix          the key prefix, empty or ending with {@code /}
 * @param region          the signing region, or null for the SDK's default region chain
 * @param endpoint        an S3-compatible server's URL (MinIO, Ceph, ...), or null for AWS
 * @param pathStyle       whether requests address the bucket in the path instead of the host name
 * @param accessKeyId     explicit credentials, or null for the SDK's default credentials chain
 * @param secretAccessKey the secret of {@code accessKeyId}
 * @param sessionToken    a temporary credentials' session token, or null
 * @param partSizeBytes   the size of each multipart upload part (also the upload buffer's size)
 * @param maxAttempts     attempts per request, retries of transient failures included
 * @param connectTimeout  how long to wait for a TCP connection
 * @param socketTimeout   how long a connection may stay silent while a request is in progress
 * @param checksums       when uploads carry S3 flexible checksums (SHA-256) that the server verifies and keeps
 * @param chunkedEncoding whether request bodies are sent with the SDK's {@code aws-chunked} framing
 * @param verify          how a snapshot's data object is checked before the snapshot counts as stored
 */
public record S3StoreSettings(String bucket, String prefix, String region, URI endpoint, boolean pathStyle,
                              String accessKeyId, String secretAccessKey, String sessionToken, int partSizeBytes,
                              int maxAttempts, Duration connectTimeout, Duration socketTimeout, Checksums checksums,
                              boolean chunkedEncoding, Verify verify) {

    /** When uploads carry flexible checksums. */
    public enum Checksums {
        /** Every upload carries its SHA-256 (AWS S3, S3Mock, recent MinIO and Ceph): the server rejects a damaged body. */
        WHEN_SUPPORTED,
        /** Only where S3 requires one: for servers that reject {@code x-amz-checksum-*} headers. */
        WHEN_REQUIRED
    }

    /** How an uploaded data object is verified before its metadata is written. */
    public enum Verify {
        /** The server's SHA-256 checksum when it reports one, else {@link #READBACK}: the default. */
        AUTO,
        /** The server's SHA-256 checksum of the object must match; fails on servers that keep none. */
        CHECKSUM,
        /** The object is downloaded once, streaming, and its SHA-256 compared. */
        READBACK,
        /** Only the object's size (HEAD) is compared. */
        SIZE
    }

    public static final String BUCKET = "bucket";
    public static final String PREFIX = "prefix";
    public static final String REGION = "region";
    public static final String ENDPOINT = "endpoint";
    public static final String PATH_STYLE = "pathStyle";
    public static final String ACCESS_KEY_ID = "accessKeyId";
    public static final String SECRET_ACCESS_KEY = "secretAccessKey";
    public static final String SESSION_TOKEN = "sessionToken";
    public static final String PART_SIZE_MB = "partSizeMb";
    public static final String MAX_ATTEMPTS = "maxAttempts";
    public static final String CONNECT_TIMEOUT_MS = "connectTimeoutMs";
    public static final String SOCKET_TIMEOUT_MS = "socketTimeoutMs";
    public static final String CHECKSUMS = "checksums";
    public static final String CHUNKED_ENCODING = "chunkedEncoding";
    public static final String VERIFY = "verify";

    /** Every setting this store understands; anything else is a typo and is rejected. */
    public static final Set<String> KNOWN = Set.of(BUCKET, PREFIX, REGION, ENDPOINT, PATH_STYLE, ACCESS_KEY_ID,
            SECRET_ACCESS_KEY, SESSION_TOKEN, PART_SIZE_MB, MAX_ATTEMPTS, CONNECT_TIMEOUT_MS, SOCKET_TIMEOUT_MS,
            CHECKSUMS, CHUNKED_ENCODING, VERIFY);

    public static final int DEFAULT_PART_SIZE_MB = 8;
    /** S3's smallest part (all but the last); the largest is 5 GiB. */
    public static final int MIN_PART_SIZE_MB = 5;
    public static final int MAX_PART_SIZE_MB = 1024;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final int DEFAULT_SOCKET_TIMEOUT_MS = 30_000;
    /** The region requests are signed for when an endpoint is given without one (what MinIO expects). */
    public static final String DEFAULT_ENDPOINT_REGION = "us-east-1";

    private static final int MIB = 1024 * 1024;
    // lenient on purpose: S3-compatible servers accept names AWS does not (upper case, underscores)
    private static final Pattern BUCKET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,254}");
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public S3StoreSettings {
        if (bucket == null || !BUCKET_NAME.matcher(bucket).matches()) {
            throw invalid(BUCKET, bucket, "a bucket name (letters, digits, '.', '-', '_')");
        }
        prefix = normalizePrefix(prefix);
        if (partSizeBytes < MIN_PART_SIZE_MB * MIB || partSizeBytes > MAX_PART_SIZE_MB * MIB) {
            throw invalid(PART_SIZE_MB, String.valueOf(partSizeBytes / MIB),
                    "from " + MIN_PART_SIZE_MB + " to " + MAX_PART_SIZE_MB + " (MiB)");
        }
        if (maxAttempts < 1) {
            throw invalid(MAX_ATTEMPTS, String.valueOf(maxAttempts), "at least 1");
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw invalid(CONNECT_TIMEOUT_MS, String.valueOf(connectTimeout), "positive");
        }
        if (socketTimeout == null || socketTimeout.isNegative() || socketTimeout.isZero()) {
            throw invalid(SOCKET_TIMEOUT_MS, String.valueOf(socketTimeout), "positive");
        }
        Objects.requireNonNull(checksums, CHECKSUMS);
        Objects.requireNonNull(verify, VERIFY);
    }

    /** Settings for {@code bucket} with every other setting at its default. */
    public static S3StoreSettings of(String bucket) {
        return parse(Map.of(BUCKET, bucket));
    }

    /**
     * Parses and validates settings.
     *
     * @throws PersistenceException naming the first setting that is missing, unknown or invalid
     */
    public static S3StoreSettings parse(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw new PersistenceException("S3 snapshot store: unknown setting '" + unknown.iterator().next()
                    + "'; the settings are " + new TreeSet<>(KNOWN));
        }
        String bucket = blankToNull(settings.get(BUCKET));
        if (bucket == null) {
            throw new PersistenceException("S3 snapshot store: setting '" + BUCKET + "' is required");
        }
        URI endpoint = endpoint(blankToNull(settings.get(ENDPOINT)));
        String region = blankToNull(settings.get(REGION));
        if (region != null && !REGION_NAME.matcher(region).matches()) {
            throw invalid(REGION, region, "a region name such as eu-west-1");
        }
        if (region == null && endpoint != null) {
            region = DEFAULT_ENDPOINT_REGION;
        }
        String accessKeyId = blankToNull(settings.get(ACCESS_KEY_ID));
        String secret = blankToNull(settings.get(SECRET_ACCESS_KEY));
        String sessionToken = blankToNull(settings.get(SESSION_TOKEN));
        if (accessKeyId != null && secret == null) {
            throw new PersistenceException("S3 snapshot store: setting '" + SECRET_ACCESS_KEY + "' is required when '"
                    + ACCESS_KEY_ID + "' is set");
        }
        if (secret != null && accessKeyId == null || sessionToken != null && accessKeyId == null) {
            throw new PersistenceException("S3 snapshot store: setting '" + ACCESS_KEY_ID + "' is required when '"
                    + (secret != null ? SECRET_ACCESS_KEY : SESSION_TOKEN) + "' is set");
        }
        int partSizeMb = integer(settings, PART_SIZE_MB, DEFAULT_PART_SIZE_MB, MIN_PART_SIZE_MB, MAX_PART_SIZE_MB);
        return new S3StoreSettings(bucket, settings.get(PREFIX), region, endpoint,
                bool(settings, PATH_STYLE, false), accessKeyId, secret, sessionToken, partSizeMb * MIB,
                integer(settings, MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1, 20),
                Duration.ofMillis(integer(settings, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, 1, 600_000)),
                Duration.ofMillis(integer(settings, SOCKET_TIMEOUT_MS, DEFAULT_SOCKET_TIMEOUT_MS, 1, 3_600_000)),
                checksums(settings),
                // signed chunks protect nothing TLS does not already; over plain http many servers store the framing
                bool(settings, CHUNKED_ENCODING, endpoint == null || !"http".equalsIgnoreCase(endpoint.getScheme())),
                choice(settings, VERIFY, Verify.class, Verify.AUTO));
    }

    /** {@code when_supported} / {@code when_required}; {@code true} / {@code false} are their old spellings. */
    private static Checksums checksums(Map<String, String> settings) {
        String value = blankToNull(settings.get(CHECKSUMS));
        if (value != null && value.equalsIgnoreCase("true")) {
            return Checksums.WHEN_SUPPORTED;
        }
        if (value != null && value.equalsIgnoreCase("false")) {
            return Checksums.WHEN_REQUIRED;
        }
        return choice(settings, CHECKSUMS, Checksums.class, Checksums.WHEN_SUPPORTED);
    }

    private static <E extends Enum<E>> E choice(Map<String, String> settings, String key, Class<E> type, E dflt) {
        String value = blankToNull(settings.get(key));
        if (value == null) {
            return dflt;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw invalid(key, value, "one of " + String.join(", ", names));
    }

    /** Where the store is, for messages: {@code s3://bucket/prefix (endpoint)}. */
    public String describe() {
        return "s3://" + bucket + "/" + prefix + " (" + (endpoint != null ? endpoint : "AWS S3")
                + (region != null ? ", region " + region : "") + ")";
    }

    @Override
    public String toString() {
        // never print the secret
        return "S3StoreSettings[" + describe() + ", pathStyle=" + pathStyle + ", credentials="
                + (accessKeyId != null ? "explicit (" + accessKeyId + ")" : "default chain")
                + ", partSize=" + partSizeBytes / MIB + " MiB, maxAttempts=" + maxAttempts
                + ", checksums=" + checksums.name().toLowerCase(Locale.ROOT) + ", chunkedEncoding=" + chunkedEncoding
                + ", verify=" + verify.name().toLowerCase(Locale.ROOT) + "]";
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
        for (int i = 0; i < p.length(); i++) {
            if (Character.isISOControl(p.charAt(i))) {
                throw invalid(PREFIX, prefix, "a key prefix without control characters");
            }
        }
        if (p.length() > 512) {
            throw invalid(PREFIX, prefix, "at most 512 characters");
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
                throw invalid(ENDPOINT, value, "an http:// or https:// URL such as http://localhost:9000");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid(ENDPOINT, value, "an http:// or https:// URL such as http://localhost:9000");
        }
    }

    private static int integer(Map<String, String> settings, String key, int dflt, int min, int max) {
        String value = blankToNull(settings.get(key));
        if (value == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, value, "an integer from " + min + " to " + max);
    }

    private static boolean bool(Map<String, String> settings, String key, boolean dflt) {
        String value = blankToNull(settings.get(key));
        if (value == null) {
            return dflt;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, value, "true or false");
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static PersistenceException invalid(String key, String value, String expected) {
        return new PersistenceException("S3 snapshot store: setting '" + key + "' must be " + expected + ", got '"
                + value + "'");
    }
}
