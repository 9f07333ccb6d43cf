package dev.vecpersist.cli;

import dev.vecpersist.api.Progress;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a terminal (as under the test runner) progress is a plain line per 10 %. */
class ProgressDisplayTest {

    @Test
    void printsOneLinePerDecileOnceTheTotalIsKnown() {
        StringWriter text = new StringWriter();
        try (ProgressDisplay display = ProgressDisplay.on(new PrintWriter(text, true))) {
            display.onProgress(new Progress("load", 0, 0, 0, "start")); // total not known yet: nothing
            for (long done = 0; done <= 1000; done += 25) {
                display.onProgress(new Progress("load", Math.min(99, done / 10.0), done, 1000, "step"));
            }
            display.onProgress(new Progress("load", 100, 1000, 1000, "done"));
        }
        assertThat(text.toString().lines()).hasSize(11).first().isEqualTo("load:   0% (0/1000 entries)");
        assertThat(text.toString()).contains("load:  50% (500/1000 entries)").endsWith("load: 100% (1000/1000 entries)" + System.lineSeparator());
    }

    @Test
    void startsCountingAgainAfterClose() {
        StringWriter text = new StringWriter();
        ProgressDisplay display = ProgressDisplay.on(new PrintWriter(text, true));
        display.onProgress(new Progress("import", 100, 5, 5, "done"));
        display.close();
        display.onProgress(new Progress("export", 0, 0, 5, "start"));
        display.onProgress(new Progress("export", 100, 5, 5, "done"));
        assertThat(text.toString().lines()).containsExactly("import: 100% (5/5 entries)", "export:   0% (0/5 entries)",
                "export: 100% (5/5 entries)");
    }
}
