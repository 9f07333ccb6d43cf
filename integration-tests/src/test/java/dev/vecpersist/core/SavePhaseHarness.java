package dev.vecpersist.core;

import dev.vecpersist.core.io.FileOps;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: where the time of a standalone save ({@code DatabasePersistence.save(Path)}, the
 * benchmark's {@code LibraryBenchmarks.save}) goes, phase by phase, beside the raw FileChannel
 * write+fsync of the same floats ({@code BaselineBenchmarks.rawWriteFsync}). The save runs through a
 * {@link FileOps} that timestamps each step: setup until the temporary file is created, encoding
 * and writing until the last write returns (and the time spent inside the write calls), the file's
 * fsync, the rename, the directory's fsync. Alternates save and raw write, a GC before each, and
 * prints medians of every phase, of wall time and of the calling thread's CPU, the mean of the
 * process's CPU (marked *: it comes in 10 ms ticks) and the load average.
 * Arguments: N, rounds (the first two are warm-up), format, directory, then optionally variants to
 * alternate with each other, each a list of system properties set for its saves ({@code k=v,k=v},
 * {@code -} for none), e.g. {@code vecpersist.syncBehind=0 -}.
 */
public final class SavePhaseHarness {

    private static final int DIMENSION = 384;
    private static final String[] PHASES = {"setup", "encode+write", "  in write()", "fsync file", "rename",
            "fsync dir", "after", "caller CPU", "wall", "process CPU*"};

    private SavePhaseHarness() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        String format = args[2];
        Path dir = Files.createTempDirectory(Path.of(args[3]), "save-phases");
        // each further argument is a variant: system properties set for its saves, "k=v,k=v" ("-": none)
        List<String> variants = args.length > 4 ? List.of(args).subList(4, args.length) : List.of("-");
        VectorDB db = HarnessData.database(n);
        TimingOps ops = new TimingOps();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        int kinds = variants.size() + 1; // the variants' saves, then the raw write
        double[][][] save = new double[variants.size()][PHASES.length][rounds - 2];
        double[][] raw = new double[4][rounds - 2]; // write, fsync, wall, process CPU
        double[] load = new double[rounds - 2];
        try (DatabasePersistence saver = new DatabasePersistence(db, PersistenceOptions.builder()
                .baseDir(dir.resolve("save")).format(format).fileOps(ops).build())) {
            Path target = dir.resolve("bench." + format);
            Path rawFile = dir.resolve("raw-out.bin");
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < kinds; k++) {
                    int v = (k + r) % kinds;
                    System.gc();
                    Thread.sleep(50);
                    if (v < variants.size()) {
                        List<String> set = apply(variants.get(v));
                        long caller0 = threads.getCurrentThreadCpuTime();
                        long c0 = os.getProcessCpuTime();
                        long t0 = System.nanoTime();
                        ops.reset();
                        saver.save(target);
                        long t1 = System.nanoTime();
                        long c1 = os.getProcessCpuTime();
                        long caller1 = threads.getCurrentThreadCpuTime();
                        set.forEach(System::clearProperty);
                        if (r >= 2) {
                            double[] p = ops.phases(t0, t1);
                            for (int i = 0; i < p.length; i++) {
                                save[v][i][r - 2] = p[i];
                            }
                            save[v][PHASES.length - 3][r - 2] = (caller1 - caller0) / 1e6;
                            save[v][PHASES.length - 2][r - 2] = (t1 - t0) / 1e6;
                            save[v][PHASES.length - 1][r - 2] = (c1 - c0) / 1e6;
                        }
                    } else {
                        long c0 = os.getProcessCpuTime();
                        long t0 = System.nanoTime();
                        double[] p = HarnessData.rawWriteFsync(db.snapshot(), rawFile);
                        long t1 = System.nanoTime();
                        if (r >= 2) {
                            raw[0][r - 2] = p[0];
                            raw[1][r - 2] = p[1];
                            raw[2][r - 2] = (t1 - t0) / 1e6;
                            raw[3][r - 2] = (os.getProcessCpuTime() - c0) / 1e6;
                        }
                    }
                }
                if (r >= 2) {
                    load[r - 2] = os.getSystemLoadAverage();
                }
            }
        }
        System.out.printf("%s save, N=%d, %d rounds after 2 warm-up, load average median %.1f (%.1f-%.1f)%n", format, n,
                rounds - 2, HarnessData.median(load), Arrays.stream(load).min().orElse(0), Arrays.stream(load).max().orElse(0));
        StringBuilder head = new StringBuilder(String.format("  %-16s", "median ms"));
        variants.forEach(v -> head.append(String.format(" %22s", v)));
        System.out.println(head);
        for (int i = 0; i < PHASES.length; i++) {
            StringBuilder line = new StringBuilder(String.format("  save %-11s", PHASES[i]));
            for (double[][] variant : save) {
                // the process's CPU time comes in 10 ms ticks: its mean says more than its median
                line.append(String.format(" %22.2f", i == PHASES.length - 1 ? mean(variant[i]) : HarnessData.median(variant[i])));
            }
            System.out.println(line);
        }
        String[] rawNames = {"write", "fsync", "wall", "process CPU*"};
        for (int i = 0; i < rawNames.length; i++) {
            System.out.printf("  raw  %-11s %22.2f%n", rawNames[i], i == rawNames.length - 1 ? mean(raw[i]) : HarnessData.median(raw[i]));
        }
        StringBuilder ratios = new StringBuilder("  save/raw wall  ");
        for (double[][] variant : save) {
            double[] ratio = new double[rounds - 2];
            for (int i = 0; i < ratio.length; i++) {
                ratio[i] = variant[PHASES.length - 2][i] / raw[2][i];
            }
            ratios.append(String.format(" %11.2fx (per round %.2fx)", HarnessData.median(variant[PHASES.length - 2]) / HarnessData.median(raw[2]),
                    HarnessData.median(ratio)).substring(0, 23));
        }
        System.out.println(ratios);
        StringBuilder paired = new StringBuilder("  wall - first's ");
        for (double[][] variant : save) {
            double[] diff = new double[rounds - 2];
            int faster = 0;
            for (int i = 0; i < diff.length; i++) {
                diff[i] = variant[PHASES.length - 2][i] - save[0][PHASES.length - 2][i];
                faster += diff[i] < 0 ? 1 : 0;
            }
            paired.append(String.format(" %+8.2f (%2d/%d less)", HarnessData.median(diff), faster, diff.length));
        }
        System.out.println(paired + "  (median of per-round differences)");
        HarnessData.deleteTree(dir);
    }

    /** Sets a variant's system properties; returns their names. */
    private static List<String> apply(String variant) {
        List<String> names = new ArrayList<>();
        if (!variant.equals("-")) {
            for (String setting : variant.split(",")) {
                String[] kv = setting.split("=", 2);
                System.setProperty(kv[0], kv[1]);
                names.add(kv[0]);
            }
        }
        return names;
    }

    /** Timestamps the steps of one atomic write; only one write at a time. */
    private static final class TimingOps implements FileOps {
        private long created;
        private long firstWrite;
        private long lastWrite;
        private long inWrite;
        private long syncStart;
        private long syncEnd;
        private long moveStart;
        private long moveEnd;
        private long dirSyncStart;
        private long dirSyncEnd;

        void reset() {
            created = firstWrite = lastWrite = inWrite = syncStart = syncEnd = moveStart = moveEnd = 0;
            dirSyncStart = dirSyncEnd = 0;
        }

        /** setup, encode+write, in write(), fsync, rename, dir fsync, after; in ms */
        double[] phases(long start, long end) {
            return new double[]{ms(created - start), ms(lastWrite - created), ms(inWrite), ms(syncEnd - syncStart),
                    ms(moveEnd - moveStart), ms(dirSyncEnd - dirSyncStart), ms(end - dirSyncEnd)};
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }

        @Override
        public WritableFile create(Path file) throws IOException {
            WritableFile real = FileOps.SYSTEM.create(file);
            created = System.nanoTime();
            OutputStream timed = new FilterOutputStream(real.stream()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    long t = System.nanoTime();
                    if (firstWrite == 0) {
                        firstWrite = t;
                    }
                    out.write(b, off, len);
                    lastWrite = System.nanoTime();
                    inWrite += lastWrite - t;
                }
            };
            return new WritableFile() {
                @Override
                public OutputStream stream() {
                    return timed;
                }

                @Override
                public void sync() throws IOException {
                    syncStart = System.nanoTime();
                    real.sync();
                    syncEnd = System.nanoTime();
                }

                @Override
                public void syncWritten() throws IOException {
                    real.syncWritten();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        @Override
        public InputStream open(Path file) throws IOException {
            return FileOps.SYSTEM.open(file);
        }

        @Override
        public void sync(Path file) throws IOException {
            syncStart = System.nanoTime();
            FileOps.SYSTEM.sync(file);
            syncEnd = System.nanoTime();
        }

        @Override
        public void atomicMove(Path from, Path to) throws IOException {
            moveStart = System.nanoTime();
            FileOps.SYSTEM.atomicMove(from, to);
            moveEnd = System.nanoTime();
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            dirSyncStart = System.nanoTime();
            FileOps.SYSTEM.syncDirectory(dir);
            dirSyncEnd = System.nanoTime();
        }

        @Override
        public void deleteIfExists(Path file) throws IOException {
            FileOps.SYSTEM.deleteIfExists(file);
        }
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }
}
