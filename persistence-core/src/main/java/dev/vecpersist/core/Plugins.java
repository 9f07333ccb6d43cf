package dev.vecpersist.core;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.ChainStore;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.UnsupportedFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The formats, codecs and snapshot stores on the classpath, found with {@link ServiceLoader}.
 *
 * <p>A provider that fails to load is logged and skipped; the others keep working (SLF4J's
 * approach). For a duplicate name the first provider on the classpath wins (Lucene's). Looking up a
 * name that is absent fails with {@link UnsupportedFormatException} listing what is available and
 * the artifact that provides the missing one. Immutable and thread-safe.
 */
public final class Plugins {

    /** The format saves default to when it is on the class path. */
    public static final String DEFAULT_FORMAT = "json";

    /** The name a manager uses for "no compression". */
    public static final String NO_COMPRESSION = "none";

    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Map<String, String> ARTIFACTS = Map.of(
            "json", "dev.vecpersist:format-json",
            "msgpack", "dev.vecpersist:format-msgpack",
            "sqlite", "dev.vecpersist:format-sqlite",
            "gzip", "dev.vecpersist:codec-gzip",
            "brotli", "dev.vecpersist:codec-brotli",
            "lz4", "dev.vecpersist:codec-lz4",
            "s3", "dev.vecpersist:store-s3",
            "azure", "dev.vecpersist:store-azure");

    private static volatile Plugins defaults;

    private final Map<String, StateFormat> formats;
    private final Map<String, CompressionCodec> codecs;
    private final Map<String, SnapshotStore.Provider> stores;
    private final Map<String, ChainStore.Provider> chainStores;

    private Plugins(ClassLoader loader) {
        formats = load(StateFormat.class, StateFormat::name, loader);
        codecs = load(CompressionCodec.class, CompressionCodec::name, loader);
        stores = load(SnapshotStore.Provider.class, SnapshotStore.Provider::name, loader);
        chainStores = load(ChainStore.Provider.class, ChainStore.Provider::name, loader);
        if (codecs.containsKey(NO_COMPRESSION)) {
            LOG.warn("ignoring CompressionCodec named '{}': the name means no compression", NO_COMPRESSION);
            codecs.remove(NO_COMPRESSION);
        }
    }

    /** {@return the plugins visible to this library's class loader (cached)} */
    public static Plugins discover() {
        Plugins p = defaults;
        if (p == null) {
            p = new Plugins(Plugins.class.getClassLoader());
            defaults = p;
        }
        return p;
    }

    /**
     * Finds the plugins visible to a given class loader (not cached).
     *
     * @param loader the class loader to search
     * @return the plugins
     */
    public static Plugins discover(ClassLoader loader) {
        return new Plugins(loader);
    }

    /**
     * Names the artifact that provides a well-known plugin.
     *
     * @param name a plugin name, e.g. {@code "lz4"}
     * @return the artifact, e.g. {@code "dev.vecpersist:codec-lz4"}, or null for a name not shipped with VecPersist
     */
    public static String artifactFor(String name) {
        return ARTIFACTS.get(name);
    }

    private static <T> Map<String, T> load(Class<T> type, Function<T, String> nameOf, ClassLoader loader) {
        Map<String, T> found = new LinkedHashMap<>();
        Iterator<T> it = ServiceLoader.load(type, loader).iterator();
        // ServiceLoader's iterator moves past a provider that fails; bound the loop all the same
        for (int guard = 0; guard < 10_000; guard++) {
            T provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.error("skipping a {} provider that failed to load: {}", type.getSimpleName(), e.getMessage(), e);
                continue;
            }
            String name;
            try {
                name = nameOf.apply(provider);
            } catch (RuntimeException | LinkageError e) {
                LOG.error("skipping {} {}: name() failed", type.getSimpleName(), provider.getClass().getName(), e);
                continue;
            }
            if (name == null || !NAME.matcher(name).matches()) {
                LOG.error("skipping {} {}: invalid name '{}' (lower-case letters, digits, '.', '_', '-')",
                        type.getSimpleName(), provider.getClass().getName(), name);
            } else if (found.containsKey(name)) {
                LOG.warn("{} '{}' is provided twice; using {} and ignoring {}", type.getSimpleName(), name,
                        found.get(name).getClass().getName(), provider.getClass().getName());
            } else {
                found.put(name, provider);
            }
        }
        return found;
    }

    /**
     * Looks a format up.
     *
     * @param name the format's name
     * @return the format with this name
     * @throws UnsupportedFormatException when none is on the classpath, naming what is and the artifact to add
     */
    public StateFormat format(String name) {
        StateFormat f = formats.get(name);
        if (f == null) {
            throw missing("StateFormat", name, formats.keySet());
        }
        return f;
    }

    /**
     * The format a manager saves in when none is configured: json when it is on the class path
     * (the compatible, readable one), otherwise the only format there is.
     *
     * @return the default format
     * @throws UnsupportedFormatException when there is no format, or several without json; the
     *                                    message lists them and says how to choose one
     */
    public StateFormat defaultFormat() {
        StateFormat json = formats.get(DEFAULT_FORMAT);
        if (json != null) {
            return json;
        }
        if (formats.size() == 1) {
            return formats.values().iterator().next();
        }
        List<String> names = new ArrayList<>(formats.keySet());
        Collections.sort(names);
        if (names.isEmpty()) {
            throw new UnsupportedFormatException("no StateFormat on the class path: add one of "
                    + ARTIFACTS.get("json") + ", " + ARTIFACTS.get("msgpack") + " or " + ARTIFACTS.get("sqlite"));
        }
        throw new UnsupportedFormatException("no format chosen for saves and " + names.size()
                + " are on the class path (" + String.join(", ", names)
                + "): choose one with PersistenceOptions.builder().format(\"" + names.get(0) + "\")");
    }

    /**
     * Looks a codec up.
     *
     * @param name the codec's name, {@value #NO_COMPRESSION} or null
     * @return the codec with this name, or null for {@value #NO_COMPRESSION} and null
     * @throws UnsupportedFormatException when none is on the classpath, naming what is and the artifact to add
     */
    public CompressionCodec codec(String name) {
        if (name == null || NO_COMPRESSION.equals(name)) {
            return null;
        }
        CompressionCodec c = codecs.get(name);
        if (c == null) {
            List<String> available = new ArrayList<>(codecs.keySet());
            available.add(NO_COMPRESSION);
            throw missing("CompressionCodec", name, available);
        }
        return c;
    }

    /**
     * Looks a snapshot store provider up.
     *
     * @param name the store's name
     * @return the provider with this name
     * @throws UnsupportedFormatException when none is on the classpath
     */
    public SnapshotStore.Provider snapshotStore(String name) {
        SnapshotStore.Provider p = stores.get(name);
        if (p == null) {
            throw missing("SnapshotStore", name, stores.keySet());
        }
        return p;
    }

    /**
     * Looks a chain store provider up (where {@link PersistenceOptions#publishTo()} publishes and
     * {@link DatabasePersistence#followRemote} reads).
     *
     * @param name the store's name, e.g. {@code "s3"}
     * @return the provider with this name
     * @throws UnsupportedFormatException when none is on the classpath
     */
    public ChainStore.Provider chainStore(String name) {
        ChainStore.Provider p = chainStores.get(name);
        if (p == null) {
            throw missing("ChainStore", name, chainStores.keySet());
        }
        return p;
    }

    /** {@return every format, in classpath order} */
    public List<StateFormat> formats() {
        return List.copyOf(formats.values());
    }

    /** {@return every codec (not including "none"), in classpath order} */
    public List<CompressionCodec> codecs() {
        return List.copyOf(codecs.values());
    }

    private static UnsupportedFormatException missing(String kind, String name, Iterable<String> available) {
        List<String> names = new ArrayList<>();
        available.forEach(names::add);
        Collections.sort(names);
        String artifact = ARTIFACTS.get(name);
        String hint = artifact != null ? "; add " + artifact
                : "; add the jar that provides it (a META-INF/services/" + serviceFile(kind) + " entry)";
        return new UnsupportedFormatException("no " + kind + " named '" + name + "' (available: "
                + String.join(", ", names) + ")" + hint);
    }

    private static String serviceFile(String kind) {
        return switch (kind) {
            case "StateFormat" -> StateFormat.class.getName();
            case "CompressionCodec" -> CompressionCodec.class.getName();
            case "ChainStore" -> ChainStore.Provider.class.getName();
            default -> SnapshotStore.Provider.class.getName();
        };
    }
}
