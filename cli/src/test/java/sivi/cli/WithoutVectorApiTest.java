package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM started without --add-modules jdk.incubator.vector runs on the scalar backend, or says which flag to add. */
class WithoutVectorApiTest {
    @TempDir Path tmp;

    private record Run(int code, String err) {}

    private Run run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "sivi.cli.Main"));
        cmd.addAll(List.of(args));
        Path err = tmp.resolve("err" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        int code = p.waitFor();
        return new Run(code, Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test void theDefaultBackendIsScalarAndAFitRuns() throws Exception {
        Path out = tmp.resolve("run");
        Run r = run("fit", "--iterations", "5", "--batch", "20", "--draws", "10", "--quiet", "--no-plot", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"backend\": \"scalar\""));
    }

    @Test void askingForSimdNamesTheFlag() throws Exception {
        Run r = run("fit", "--iterations", "5", "--batch", "20", "--backend", "simd", "--quiet", "--no-plot", "--out", tmp.resolve("simd").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("start the JVM with --add-modules jdk.incubator.vector"), r.err());
        assertEquals(1, r.err().lines().filter(l -> !l.startsWith("(run with --debug")).count(), r.err());
    }
}
