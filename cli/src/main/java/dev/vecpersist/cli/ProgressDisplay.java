package dev.vecpersist.cli;

import dev.vecpersist.api.Progress;
import dev.vecpersist.api.ProgressListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Objects;

/**
 * Shows long operations' progress: a progress bar when attached to a terminal, otherwise a plain
 * line at every 10 % (logs and pipes stay readable). One display may follow several operations in
 * turn: a report of another operation ends the current one. The last line of an operation is its
 * 100 % line, printed once; a report below 100 % for which every entry is done (the trailer and the
 * rename are still to come) is not printed. Close it when the work ends.
 */
final class ProgressDisplay implements ProgressListener, AutoCloseable {

    private static final int BAR_WIDTH = 100;

    private final PrintWriter out;
    private final PrintStream barStream;
    private ProgressBar bar;
    private String operation;
    private int lastDecile = -1;

    private ProgressDisplay(PrintWriter out, PrintStream barStream) {
        this.out = out;
        this.barStream = barStream;
    }

    /** A display that picks bars (on standard error) or lines (on {@code out}) by whether a terminal is attached. */
    static ProgressDisplay on(PrintWriter out) {
        return System.console() != null ? bars(System.err) : lines(out);
    }

    /** A display that prints a plain line at every 10 %. */
    static ProgressDisplay lines(PrintWriter out) {
        return new ProgressDisplay(Objects.requireNonNull(out), null);
    }

    /** A display that draws a progress bar per operation on {@code terminal}. */
    static ProgressDisplay bars(PrintStream terminal) {
        return new ProgressDisplay(null, Objects.requireNonNull(terminal));
    }

    @Override
    public void onProgress(Progress p) {
        if (!p.operation().equals(operation)) {
            close();
            operation = p.operation();
        }
        boolean done = p.percentage() >= 100;
        if (!done && p.total() > 0 && p.current() >= p.total()) {
            return; // every entry is done but the file is not committed yet: wait for the 100 % report
        }
        if (barStream != null) {
            drawBar(p, done);
            return;
        }
        if (p.total() <= 0 && !done) {
            return; // a load learns its total from the file's header: nothing useful to print yet
        }
        int decile = (int) (p.percentage() / 10);
        if (decile > lastDecile) {
            lastDecile = decile;
            out.printf("%s: %3.0f%% (%d/%d entries)%n", p.operation(), p.percentage(), p.current(), p.total());
            out.flush();
        }
        if (done) {
            close(); // the operation is over: the next report starts a new one
        }
    }

    private void drawBar(Progress p, boolean done) {
        long max = Math.max(1, p.total());
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(p.operation()).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" entries", 1).continuousUpdate()
                    .setConsumer(new ConsoleProgressBarConsumer(barStream, BAR_WIDTH)).build();
        }
        bar.maxHint(max);
        bar.stepTo(done ? max : Math.min(p.current(), max - 1));
        if (done) {
            close();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        operation = null;
        lastDecile = -1;
    }
}
