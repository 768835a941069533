package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged checkpoint stops --resume with exit 1 and one plain line naming the file (and the array). */
class CorruptCheckpointTest {
    @TempDir Path tmp;

    private Path run() {
        Path dir = tmp.resolve("run");
        assertEquals(0, MainTest.run("fit", "--iterations", "10", "--batch", "20", "--draws", "20", "--quiet", "--no-plot", "--out", dir.toString()).code());
        return dir;
    }

    private MainTest.Result resume(Path dir) {
        return MainTest.run("fit", "--iterations", "20", "--batch", "20", "--draws", "20", "--quiet", "--no-plot", "--resume", "--out", dir.toString());
    }

    @Test void aFlippedDataByteIsNamedAndNothingResumes() throws Exception {
        Path dir = run(), ck = dir.resolve("checkpoint.bin");
        byte[] b = Files.readAllBytes(ck);
        b[b.length - 10] ^= 0x7f;   // inside the last array's data
        Files.write(ck, b);
        MainTest.Result r = resume(dir);
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().filter(l -> !l.startsWith("(run with --debug")).count(), r.err());
        assertTrue(r.err().contains("corrupt checkpoint " + ck) && r.err().contains("fails its CRC-32C check"), r.err());
        assertTrue(!r.err().contains("java.io"), r.err());
    }

    @Test void aChangedHeaderNumberIsCorruptionNotAUsageError() throws Exception {
        Path dir = run(), ck = dir.resolve("checkpoint.bin");
        byte[] b = Files.readAllBytes(ck);
        String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = s.indexOf("\"iteration\":\"10\"") + "\"iteration\":\"1".length();
        b[at] = 'x';   // "10" -> "1x"
        Files.write(ck, b);
        MainTest.Result r = resume(dir);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("corrupt checkpoint " + ck), r.err());
    }

    @Test void aTruncatedCheckpointSaysSoInPlainWords() throws Exception {
        Path dir = run(), ck = dir.resolve("checkpoint.bin");
        byte[] b = Files.readAllBytes(ck);
        Files.write(ck, java.util.Arrays.copyOf(b, b.length / 2));
        MainTest.Result r = resume(dir);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("corrupt checkpoint " + ck) && !r.err().contains("java.io"), r.err());
    }
}
