package dev.vecpersist.format.json;

import dev.vecpersist.api.StateFormat;
import dev.vecpersist.testkit.StateFormatContract;

/** The shared conformance suite, run against the JSON format. */
class JsonStateFormatTest extends StateFormatContract {

    @Override
    protected StateFormat format() {
        return new JsonStateFormat();
    }
}
