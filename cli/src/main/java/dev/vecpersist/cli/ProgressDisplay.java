package dev.vecpersist.cli;

import dev.vecpersist.api.Progress;
import dev.vecpersist.api.ProgressListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;

/**
 * Shows a long operation's progress: a progress bar when attached to a terminal, otherwise a plain
 * line at every 10 % (logs and pipes stay readable). Close it when the operation ends.
 */
final class ProgressDisplay implements ProgressListener, AutoCloseable {

    private final PrintWriter out;
    private final boolean terminal;
    private ProgressBar bar;
    private int lastDecile = -1;

    private ProgressDisplay(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** A display that picks bar or lines by whether a terminal is attached. */
    static ProgressDisplay on(PrintWriter out) {
        return new ProgressDisplay(out, System.console() != null);
    }

    @Override
    public void onProgress(Progress p) {
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName(p.operation()).setInitialMax(Math.max(1, p.total()))
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" entries", 1).continuousUpdate().build();
            }
            bar.maxHint(Math.max(1, p.total()));
            bar.stepTo(p.current());
            if (p.percentage() >= 100) {
                bar.stepTo(Math.max(1, p.total()));
            }
            return;
        }
        if (p.total() <= 0 && p.percentage() < 100) {
            return; // a load learns its total from the file's header: nothing useful to print yet
        }
        int decile = (int) (p.percentage() / 10);
        if (decile > lastDecile) {
            lastDecile = decile;
            out.printf("%s: %3.0f%% (%d/%d entries)%n", p.operation(), p.percentage(), p.current(), p.total());
            out.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        lastDecile = -1;
    }
}
