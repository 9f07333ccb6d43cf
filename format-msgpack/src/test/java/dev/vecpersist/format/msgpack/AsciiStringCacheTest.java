package dev.vecpersist.format.msgpack;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AsciiStringCacheTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRepeatedShortAsciiValueIsOneString() {
        AsciiStringCache cache = new AsciiStringCache();
        byte[] bytes = utf8("category-A");
        assertThat(cache.lookup(bytes, bytes.length)).isNull();
        String first = new String(bytes, StandardCharsets.UTF_8);
        cache.remember(bytes, bytes.length, first);
        assertThat(cache.lookup(utf8("category-A"), bytes.length)).isSameAs(first);
        // the same bytes as a prefix of a longer scratch buffer
        byte[] scratch = utf8("category-A and more");
        assertThat(cache.lookup(scratch, bytes.length)).isSameAs(first);
        assertThat(cache.lookup(scratch, scratch.length)).isNull();
    }

    @Test
    void anotherValueInTheSameSlotIsNotMistakenForTheCachedOne() {
        AsciiStringCache cache = new AsciiStringCache();
        // "Aa" and "BB" have the same String hash; the slot hash is computed the same way
        cache.remember(utf8("Aa"), 2, "Aa");
        assertThat(cache.lookup(utf8("BB"), 2)).isNull();
        assertThat(cache.lookup(utf8("Aa"), 2)).isEqualTo("Aa");
    }

    @Test
    void nonAsciiAndLongValuesAreNotCached() {
        AsciiStringCache cache = new AsciiStringCache();
        byte[] accented = utf8("é");
        cache.remember(accented, accented.length, "é");
        assertThat(cache.lookup(accented, accented.length)).isNull();
        byte[] latin1Lookalike = {(byte) 0xe9};
        cache.remember(utf8("x"), 1, "x");
        assertThat(cache.lookup(latin1Lookalike, 1)).isNull();
        byte[] longer = utf8("x".repeat(AsciiStringCache.MAX_LENGTH + 1));
        cache.remember(longer, longer.length, "x".repeat(AsciiStringCache.MAX_LENGTH + 1));
        assertThat(cache.lookup(longer, longer.length)).isNull();
        byte[] empty = new byte[0];
        cache.remember(empty, 0, "");
        assertThat(cache.lookup(empty, 0)).isEmpty();
    }
}
