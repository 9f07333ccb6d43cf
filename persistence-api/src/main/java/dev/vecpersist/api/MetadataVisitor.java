package dev.vecpersist.api;

/**
 * What a {@link MetadataWalker} reports of a metadata tree, value by value in the tree's order: a
 * map as {@link #startMap}, then {@link #key} and the key's value for each entry, then
 * {@link #endMap}; a list as {@link #startList}, its items, then {@link #endList}.
 *
 * <p>Numbers arrive widened as the value model holds them ({@code long} for {@code Long},
 * {@code Integer}, {@code Short} and {@code Byte}; a finite {@code double} for {@code Double} and
 * {@code Float}), with the object the tree holds, so that a visitor copying the tree keeps a
 * {@code Long} or {@code Double} as it is instead of boxing it again.
 *
 * @param <X> what the callbacks may throw, e.g. {@link java.io.IOException} for an encoder;
 *            {@link RuntimeException} for a visitor that throws nothing checked
 */
public interface MetadataVisitor<X extends Exception> {

    /**
     * A {@code null} value.
     *
     * @throws X when the visitor fails
     */
    void nullValue() throws X;

    /**
     * A {@code Boolean}.
     *
     * @param value the value
     * @throws X when the visitor fails
     */
    void booleanValue(boolean value) throws X;

    /**
     * An integral number.
     *
     * @param value  the value as a long
     * @param source the {@code Long}, {@code Integer}, {@code Short} or {@code Byte} in the tree
     * @throws X when the visitor fails
     */
    void longValue(long value, Number source) throws X;

    /**
     * A finite floating-point number.
     *
     * @param value  the value as a double
     * @param source the {@code Double} or {@code Float} in the tree
     * @throws X when the visitor fails
     */
    void doubleValue(double value, Number source) throws X;

    /**
     * A string.
     *
     * @param value     the string
     * @param utf8Bytes its length in UTF-8 bytes when the walk checks strings, -1 when it does not
     * @throws X when the visitor fails
     */
    void stringValue(String value, int utf8Bytes) throws X;

    /**
     * The start of a list; its items follow, then {@link #endList}.
     *
     * @param size how many items follow
     * @throws X when the visitor fails
     */
    void startList(int size) throws X;

    /**
     * The end of the list last started.
     *
     * @throws X when the visitor fails
     */
    void endList() throws X;

    /**
     * The start of a map; each entry follows as {@link #key} and a value, then {@link #endMap}.
     *
     * @param size how many entries follow
     * @throws X when the visitor fails
     */
    void startMap(int size) throws X;

    /**
     * The key of the entry whose value comes next.
     *
     * @param key       the key
     * @param utf8Bytes its length in UTF-8 bytes when the walk checks strings, -1 when it does not
     * @throws X when the visitor fails
     */
    void key(String key, int utf8Bytes) throws X;

    /**
     * The end of the map last started.
     *
     * @throws X when the visitor fails
     */
    void endMap() throws X;
}
