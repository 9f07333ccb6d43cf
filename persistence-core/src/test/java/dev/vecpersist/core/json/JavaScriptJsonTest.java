package dev.vecpersist.core.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** JavaScript's Number::toString and JSON.stringify's string escapes, against values Node.js prints. */
class JavaScriptJsonTest {

    @ParameterizedTest
    @CsvSource({
            "0.0, 0", "-0.0, 0", "1.0, 1", "-1.0, -1", "100.0, 100", "0.1, 0.1", "123.456, 123.456",
            "1e21, 1e+21", "1e20, 100000000000000000000", "123456789012345680000, 123456789012345680000",
            "1e-7, 1e-7", "0.000001, 0.000001", "1.5e-7, 1.5e-7", "1.23e-18, 1.23e-18", "2.5e300, 2.5e+300",
            "4.9e-324, 5e-324", "1.7976931348623157e308, 1.7976931348623157e+308", "9007199254740992, 9007199254740992",
            "0.30000000000000004, 0.30000000000000004", "2.7142857142857144, 2.7142857142857144",
            "-0.5224383473396301, -0.5224383473396301", "1e23, 1e+23", "5e-7, 5e-7", "0.00001, 0.00001"})
    void numbersAsJavaScriptPrintsThem(double value, String javaScript) {
        assertThat(JavaScriptJson.number(value)).isEqualTo(javaScript);
    }

    @Test
    void stringsAsJsonStringifyEscapesThem() {
        StringBuilder sb = new StringBuilder();
        JavaScriptJson.quote(sb, "a\"b\\c\b\f\n\r\t\u0000\u001f\u007f é \uD83D\uDE00 \uD800 \uDFFF /");
        assertThat(sb.toString()).isEqualTo(
                "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0000\\u001f\u007f é \uD83D\uDE00 \\ud800 \\udfff /\"");
    }
}
