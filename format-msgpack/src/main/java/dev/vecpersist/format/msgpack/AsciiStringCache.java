package dev.vecpersist.format.msgpack;

/**
 * The strings of recently decoded short ASCII values, found by their bytes, so that a value many
 * entries repeat (a category, a tag) is one string in memory, not one per entry: at 100K entries
 * that is 100K strings fewer to allocate, hold and copy in the young collections a load runs into.
 * A slot holds a string only, compared character by character with the bytes, so a miss (a value
 * seen once) costs a hash and no allocation. Not thread-safe.
 */
final class AsciiStringCache implements StringCache {

    private static final int SLOTS = 256;
    /** Longer values are rarely repeated exactly. */
    static final int MAX_LENGTH = 16;
    private final String[] strings = new String[SLOTS];

    @Override
    public String lookup(byte[] bytes, int length) {
        if (length > MAX_LENGTH) {
            return null;
        }
        String cached = strings[slot(bytes, length)];
        if (cached == null || cached.length() != length) {
            return null;
        }
        for (int i = 0; i < length; i++) {
            // a non-ASCII byte never equals a char of a cached (ASCII) string
            if (cached.charAt(i) != bytes[i]) {
                return null;
            }
        }
        return cached;
    }

    /** Caches the string decoded from these bytes, when they are short and ASCII. */
    @Override
    public void remember(byte[] bytes, int length, String decoded) {
        if (length > MAX_LENGTH) {
            return;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                return;
            }
        }
        strings[slot(bytes, length)] = decoded;
    }

    private static int slot(byte[] bytes, int length) {
        int h = length;
        for (int i = 0; i < length; i++) {
            h = 31 * h + bytes[i];
        }
        return (h ^ (h >>> 8)) & (SLOTS - 1);
    }
}
