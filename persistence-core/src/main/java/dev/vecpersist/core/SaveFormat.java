package dev.vecpersist.core;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.UnsupportedFormatException;

/**
 * What a manager writes in: the format, the codec and its level. The format may be missing (no
 * format was named and none could be chosen): loads still work, since they detect the format from
 * the content, and only a write fails, with the reason.
 *
 * @param chosenFormat   the format, or null when none could be chosen
 * @param noFormatReason why none could be chosen, or null
 * @param codec          the codec, or null for none
 * @param level          the codec's level (0 without a codec)
 */
record SaveFormat(StateFormat chosenFormat, String noFormatReason, CompressionCodec codec, int level) {

    /** The options' format (or the default one), codec and level, checked against the plugins. */
    static SaveFormat of(Plugins plugins, PersistenceOptions options) {
        StateFormat chosen = null;
        String reason = null;
        try {
            chosen = options.format() == null ? plugins.defaultFormat() : plugins.format(options.format());
        } catch (UnsupportedFormatException e) {
            if (options.format() != null) {
                throw e; // a format the caller named explicitly: say so at once
            }
            reason = e.getMessage(); // loading detects the format: only a save needs one
        }
        CompressionCodec codec = plugins.codec(options.compression());
        return new SaveFormat(chosen, reason, codec, levelFor(codec, options.compressionLevel()));
    }

    /** This, with what an export names instead (unset ones stay). */
    SaveFormat forExport(Plugins plugins, ExportOptions export) {
        StateFormat f = export.format() == null ? format() : plugins.format(export.format());
        CompressionCodec c = export.compression() == null ? codec : plugins.codec(export.compression());
        int l = c == codec && export.compressionLevel() == null ? level : levelFor(c, export.compressionLevel());
        return new SaveFormat(f, null, c, l);
    }

    /** The codec's level to use: its default for null, checked against its range; 0 without a codec. */
    static int levelFor(CompressionCodec codec, Integer requested) {
        if (codec == null) {
            return 0;
        }
        if (requested == null) {
            return codec.defaultLevel();
        }
        return codec.levelRange().check(codec.name(), requested);
    }

    /** The format saves are written in, or the reason none could be chosen (see {@link Plugins#defaultFormat()}). */
    StateFormat format() {
        if (chosenFormat == null) {
            throw new UnsupportedFormatException(noFormatReason);
        }
        return chosenFormat;
    }

    /** {@return the codec's name, or "none"} */
    String codecName() {
        return codec == null ? Plugins.NO_COMPRESSION : codec.name();
    }

    /** {@return the extension of the files written, e.g. {@code json.gz}} */
    String fileExtension() {
        return format().fileExtension() + (codec == null ? "" : "." + codec.fileExtension());
    }
}
