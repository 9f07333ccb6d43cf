package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.StateFormat;
import dev.vecpersist.testkit.StateFormatContract;

/** The behaviour every format shares (persistence-testkit), run against MessagePack. */
class MsgpackContractTest extends StateFormatContract {
    @Override
    protected StateFormat format() {
        return new MsgpackStateFormat();
    }
}
