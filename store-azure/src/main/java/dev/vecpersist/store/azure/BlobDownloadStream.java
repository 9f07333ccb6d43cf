package dev.vecpersist.store.azure;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.options.BlobInputStreamOptions;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob's content, streamed in ranged reads of a few MiB (never the whole blob in memory), with the
 * SDK's unchecked failures reported as IOExceptions naming the blob. A blob that does not exist is
 * a {@link FileNotFoundException}.
 */
final class BlobDownloadStream extends InputStream {

    private static final int CHUNK = 4 * 1024 * 1024;

    private final InputStream in;
    private final AzureErrors errors;
    private final String name;

    BlobDownloadStream(BlobClient blob, AzureErrors errors) throws IOException {
        this.errors = errors;
        this.name = blob.getBlobName();
        try {
            this.in = blob.openInputStream(new BlobInputStreamOptions().setBlockSize(CHUNK));
        } catch (RuntimeException e) {
            if (AzureErrors.isNotFound(e)) {
                throw new FileNotFoundException("no blob '" + name + "'");
            }
            throw errors.ioFailure("download of", name, e);
        }
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (RuntimeException e) {
            throw errors.ioFailure("download of", name, e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (RuntimeException e) {
            throw errors.ioFailure("download of", name, e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
