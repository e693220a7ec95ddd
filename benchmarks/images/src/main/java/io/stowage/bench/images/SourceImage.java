package io.stowage.bench.images;

import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the benchmark's 4000x3000 source JPEG to a file, for the service run of bench.sh. */
public final class SourceImage {

    private SourceImage() {
    }

    public static void main(String[] args) throws Exception {
        Files.write(Path.of(args[0]), EngineBench.photo(4000, 3000));
    }
}
