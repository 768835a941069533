package sivi.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layer rule of kernels/README.md: code outside the kernels module never names the SIMD or OpenCL packages. */
class LayerTest {
    @Test void noOtherModuleNamesSimdOrOpenClClasses() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources;
        try (Stream<Path> s = Files.walk(root)) {
            sources = s.filter(p -> p.toString().endsWith(".java") && !p.startsWith(root.resolve("kernels"))
                    && !p.toString().contains("/target/") && p.toString().contains("/src/")).toList();
        }
        assertTrue(sources.size() > 50, "found only " + sources.size() + " sources of the other modules under " + root);
        List<String> leaks = sources.stream().filter(p -> {
            try {
                String t = Files.readString(p);
                return t.contains("sivi.kernels.simd") || t.contains("sivi.kernels.opencl");
            } catch (IOException e) { throw new UncheckedIOException(e); }
        }).map(p -> root.relativize(p).toString()).toList();
        assertEquals(List.of(), leaks, "name sivi.kernels.simd or sivi.kernels.opencl: go through a facade in sivi.kernels");
    }
}
