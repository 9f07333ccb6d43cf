package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.StateFormat;
import dev.vecpersist.testkit.StateFormatContract;

/** The shared conformance suite, run against the SQLite format. */
class SqliteStateFormatTest extends StateFormatContract {

    @Override
    protected StateFormat format() {
        return new SqliteStateFormat();
    }
}
