package dev.vecpersist.it;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.core.Plugins;
import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every format and every codec (plus none) found on the classpath: a new plugin joins every test. */
final class Matrix {

    private Matrix() {
    }

    static List<String> formats() {
        return Plugins.discover().formats().stream().map(StateFormat::name).toList();
    }

    static List<String> codecs() {
        List<String> names = new ArrayList<>();
        names.add(Plugins.NO_COMPRESSION);
        Plugins.discover().codecs().stream().map(CompressionCodec::name).forEach(names::add);
        return names;
    }

    static Stream<Arguments> formatsAndCodecs() {
        return formats().stream().flatMap(f -> codecs().stream().map(c -> Arguments.of(f, c)));
    }

    static Stream<String> formatNames() {
        return formats().stream();
    }
}
