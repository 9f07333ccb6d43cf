package dev.vecpersist.format.msgpack;

/** Strings decoded earlier, found by their UTF-8 bytes, so that repeated ones are shared. */
interface StringCache {

    /**
     * @param bytes  holds the string's bytes from index 0 (it may be longer)
     * @param length how many of them
     * @return the cached string of exactly these bytes, or null
     */
    String lookup(byte[] bytes, int length);

    /** Offers the string decoded from these bytes for later lookups (the cache may decline it). */
    void remember(byte[] bytes, int length, String decoded);
}
