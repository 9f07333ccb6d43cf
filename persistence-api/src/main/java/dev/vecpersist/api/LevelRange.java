package dev.vecpersist.api;

/**
 * The compression levels a {@link CompressionCodec} accepts, both bounds inclusive. Immutable.
 *
 * @param min the lowest level
 * @param max the highest level, at least {@code min}
 */
public record LevelRange(int min, int max) {

    /**
     * Checks the bounds.
     *
     * @param min the lowest level
     * @param max the highest level
     * @throws IllegalArgumentException when {@code min > max}
     */
    public LevelRange {
        if (min > max) {
            throw new IllegalArgumentException("level range " + min + ".." + max + " is empty");
        }
    }

    /**
     * Whether a level is in the range.
     *
     * @param level the level
     * @return true when {@code min <= level <= max}
     */
    public boolean contains(int level) {
        return level >= min && level <= max;
    }

    /**
     * Rejects a level outside the range.
     *
     * @param codecName the codec's name, for the message
     * @param level     the level
     * @return the level
     * @throws IllegalArgumentException naming the codec, the range and the level, e.g.
     *         {@code gzip level must be 1..9, was 12}
     */
    public int check(String codecName, int level) {
        if (!contains(level)) {
            throw new IllegalArgumentException(codecName + " level must be " + this + ", was " + level);
        }
        return level;
    }

    /** {@return the range as {@code min..max}} */
    @Override
    public String toString() {
        return min + ".." + max;
    }
}
