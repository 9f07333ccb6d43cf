package dev.vecpersist.store.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import dev.vecpersist.testkit.servers.ChildServer;
import dev.vecpersist.testkit.servers.NodePackages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Azurite 3.37.0 (npm), Microsoft's Azure Storage emulator: installed by the first test that needs
 * it into {@code target/azurite} with the machine's npm, its blob service run with the machine's
 * Node.js on 127.0.0.1 at a port the system picks, in memory. Without Node.js its tests skip, except
 * in CI where they fail ({@link NodePackages}). One server serves the whole test run.
 */
final class AzuriteServer {

    static final String VERSION = "3.37.0";
    /** Azurite's well-known development account. */
    static final String ACCOUNT = "devstoreaccount1";
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Pattern READY = Pattern.compile("Blob service successfully listens on http://[0-9.]+:(\\d+)");

    private static AzuriteServer shared;

    private final int port;
    private final BlobServiceClient client;

    private AzuriteServer(int port) {
        this.port = port;
        this.client = new BlobServiceClientBuilder().connectionString(connectionString(port)).buildClient();
    }

    /** The server of this test run, installed and started on first use. */
    static synchronized AzuriteServer shared() {
        Path node = NodePackages.node("the Azurite tests");
        if (shared == null) {
            try {
                Path target = Path.of("target");
                Path pkg = NodePackages.install(target.resolve("azurite"), "azurite", VERSION);
                ChildServer server = ChildServer.start(List.of(node.toString(),
                        pkg.resolve("dist/src/blob/main.js").toString(), "--blobHost", "127.0.0.1", "--blobPort", "0",
                        "--inMemoryPersistence", "--skipApiVersionCheck", "--loose"), READY,
                        target.resolve("azurite.log"), 90);
                shared = new AzuriteServer(server.port());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    static String connectionString(int port) {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
    }

    int port() {
        return port;
    }

    /** {@return a client of the service for checking what the store did} */
    BlobServiceClient client() {
        return client;
    }

    /** Creates a container with a fresh name. */
    String newContainer() {
        String name = "c-" + UUID.randomUUID();
        client.createBlobContainer(name);
        return name;
    }

    BlobContainerClient container(String name) {
        return client.getBlobContainerClient(name);
    }

    /** Store settings for {@code container} with the connection string; {@code extra} entries are added or override. */
    Map<String, String> settings(String container, String... extra) {
        Map<String, String> s = new HashMap<>(Map.of(AzureStoreSettings.CONTAINER, container,
                AzureStoreSettings.CONNECTION_STRING, connectionString(port)));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            s.put(extra[i], extra[i + 1]);
        }
        return s;
    }

    /** Every blob name in the container. */
    List<String> names(String container) {
        return container(container).listBlobs().stream().map(BlobItem::getName).toList();
    }
}
