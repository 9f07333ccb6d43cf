package dev.vecpersist.store.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.vecpersist.api.PersistenceException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Streams one block blob up holding at most one block in memory: each full buffer is staged as the
 * next block, with its MD5 so that the service rejects a block damaged in transit;
 * {@link #complete()} stages the rest and commits the block list, which is when the blob appears.
 * Blocks that are never committed are dropped by the service (after a week at most). Computes the
 * SHA-256 of everything written. {@link #close()} only ends writing. Not thread-safe.
 */
final class BlockUploadStream extends OutputStream {

    /** Azure allows 50,000 blocks per blob. */
    static final int MAX_BLOCKS = 50_000;
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final BlockBlobClient blob;
    private final AzureErrors errors;
    private final int blockSize;
    private final MessageDigest sha256 = digest("SHA-256");
    private final List<String> blockIds = new ArrayList<>();
    private byte[] buffer;
    private int count;
    private long total;
    private boolean closed;
    private boolean completionAttempted;
    private String sha256Hex;

    BlockUploadStream(BlockBlobClient blob, AzureErrors errors, int blockSize) {
        this.blob = blob;
        this.errors = errors;
        this.blockSize = blockSize;
        this.buffer = new byte[Math.min(blockSize, INITIAL_BUFFER)];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed || buffer == null) {
            throw new IOException("the upload stream of blob '" + blob.getBlobName() + "' is closed");
        }
        while (len > 0) {
            if (count == buffer.length) {
                makeRoom();
            }
            int n = Math.min(len, buffer.length - count);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            total += n;
            off += n;
            len -= n;
        }
    }

    /** Does nothing: blocks are staged when full, the rest by {@link #complete()}. */
    @Override
    public void flush() {
    }

    /** Ends writing; the data stays buffered until {@link #complete()}. */
    @Override
    public void close() {
        closed = true;
    }

    /** Bytes written. */
    long size() {
        return total;
    }

    /** SHA-256 of everything written, lower-case hex; valid after {@link #complete()}. */
    String sha256Hex() {
        return sha256Hex;
    }

    /** Whether a blob may exist under the name: completion was at least attempted. */
    boolean blobMayExist() {
        return completionAttempted;
    }

    /**
     * Stages what is buffered and commits the block list: the blob becomes visible.
     *
     * @throws PersistenceException when the service refuses or cannot be reached
     */
    void complete() {
        if (buffer == null) {
            throw new PersistenceException("the upload of blob '" + blob.getBlobName() + "' was already completed");
        }
        completionAttempted = true;
        try {
            if (count > 0) {
                stageBlock();
            }
            sha256Hex = HexFormat.of().formatHex(sha256.digest());
            blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blockIds)
                    .setHeaders(new BlobHttpHeaders().setContentType("application/octet-stream")), null, null);
        } catch (IOException e) {
            throw new PersistenceException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw errors.failure("commit of the block list of", blob.getBlobName(), e);
        } finally {
            buffer = null;
        }
    }

    private void makeRoom() throws IOException {
        if (buffer.length < blockSize) {
            byte[] bigger = new byte[(int) Math.min(blockSize, 2L * buffer.length)];
            System.arraycopy(buffer, 0, bigger, 0, count);
            buffer = bigger;
            return;
        }
        stageBlock();
    }

    private void stageBlock() throws IOException {
        if (blockIds.size() == MAX_BLOCKS) {
            throw new IOException("blob '" + blob.getBlobName() + "' needs more than " + MAX_BLOCKS + " blocks of "
                    + blockSize / (1024 * 1024) + " MiB: raise the 'blockSizeMb' setting");
        }
        // ids of one blob must all have the same length
        String id = Base64.getEncoder().encodeToString(
                String.format(Locale.ROOT, "block-%06d", blockIds.size()).getBytes(StandardCharsets.US_ASCII));
        MessageDigest md5 = digest("MD5");
        md5.update(buffer, 0, count);
        sha256.update(buffer, 0, count);
        try {
            // the buffer itself, no copy: the SDK re-reads it on a retry
            blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(id,
                    BinaryData.fromByteBuffer(ByteBuffer.wrap(buffer, 0, count))).setContentMd5(md5.digest()), null, null);
        } catch (RuntimeException e) {
            buffer = null;
            throw errors.ioFailure("upload of block " + (blockIds.size() + 1) + " of", blob.getBlobName(), e);
        }
        blockIds.add(id);
        count = 0;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }
}
