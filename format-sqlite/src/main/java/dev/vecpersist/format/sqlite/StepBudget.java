package dev.vecpersist.format.sqlite;

import org.sqlite.ProgressHandler;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Interrupts a statement step that runs too long: the reader fetches one row per step, and a
 * well-formed state needs a few thousand virtual-machine instructions per row; a runaway query in
 * a hostile file (which the schema check should already have refused) is stopped here instead of
 * hanging the caller.
 */
final class StepBudget extends ProgressHandler {

    /** SQLite calls the handler every this many virtual-machine instructions. */
    private static final int INSTRUCTIONS_PER_CALL = 10_000;
    /**
     * Calls allowed in one step: 100 million instructions. A row of a well-formed state takes well
     * under a thousand (the cursor walks the table in rowid order; no step sorts or scans).
     */
    private static final int MAX_CALLS_PER_STEP = 10_000;

    private int calls;
    private boolean exhausted;

    static StepBudget install(Connection c) throws SQLException {
        StepBudget budget = new StepBudget();
        ProgressHandler.setHandler(c, INSTRUCTIONS_PER_CALL, budget);
        return budget;
    }

    /** Starts a new step's budget. */
    void reset() {
        calls = 0;
        exhausted = false;
    }

    /** {@return whether the last step was interrupted for running too long} */
    boolean exhausted() {
        return exhausted;
    }

    @Override
    protected int progress() {
        if (++calls > MAX_CALLS_PER_STEP) {
            exhausted = true;
            return 1; // non-zero: SQLite aborts the statement with SQLITE_INTERRUPT
        }
        return 0;
    }
}
