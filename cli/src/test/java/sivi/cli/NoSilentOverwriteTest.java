package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No command overwrites a file the user already has unless told to. */
class NoSilentOverwriteTest {
    @TempDir Path tmp;

    @Test void sampleRefusesAnExistingOutUnlessForced() throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, MainTest.run("fit", "--iterations", "5", "--batch", "10", "--draws", "5", "--quiet", "--no-plot", "--out", dir.toString()).code());
        Path out = Files.writeString(tmp.resolve("mine.csv"), "precious\n");
        MainTest.Result r = MainTest.run("sample", "--run", dir.toString(), "--draws", "10", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("exists; pass --force to overwrite it"), r.err());
        assertEquals("precious\n", Files.readString(out));
        assertEquals(0, MainTest.run("sample", "--run", dir.toString(), "--draws", "10", "--out", out.toString(), "--force").code());
        assertNotEquals("precious\n", Files.readString(out));
    }
}
