package sivi.repro;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import sivi.data.Json;
import sivi.fit.TensorFile;

/** The one writer of the experiments' result files: DIR/result.json (and text siblings), each written atomically. */
public final class ResultFiles {
    private ResultFiles() {}

    /** Writes {@code result} as DIR/result.json (temporary sibling, then rename) and returns its path. */
    public static Path writeJson(Path dir, Object result) throws IOException { return writeText(dir, "result.json", Json.write(result)); }

    /** Writes DIR/NAME atomically, creating DIR. */
    public static Path writeText(Path dir, String name, String text) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve(name);
        TensorFile.writeAtomically(f, text.getBytes(StandardCharsets.UTF_8));
        return f;
    }
}
