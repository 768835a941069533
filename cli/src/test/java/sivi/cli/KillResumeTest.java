package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at random moments of a fit, each followed by --resume (or a fresh start when no checkpoint
 * was written yet): the final samples.csv and checkpoint.bin are byte-identical to an uninterrupted
 * run's and no temporary file is left. 3 kills in the suite; the long mode is
 * {@code mvn -pl cli -am test -Dtest=KillResumeTest -Dsivi.kills=20 -Dsurefire.failIfNoSpecifiedTests=false}
 * (Maven passes the property to the test JVM).
 */
class KillResumeTest {
    @TempDir Path tmp;

    static final int KILLS = Integer.getInteger("sivi.kills", 3);

    private Process start(Path out, boolean resume) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "sivi.cli.Main",
                "fit", "--iterations", "3000", "--batch", "100", "--draws", "100", "--no-plot", "--quiet", "--out", out.toString()));
        if (resume) cmd.add("--resume");
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(tmp.resolve("err-" + System.nanoTime()).toFile()).start();
    }

    @Test void killedFitsResumeToTheSameBytes() throws Exception {
        Path straight = tmp.resolve("straight");
        Process p0 = start(straight, false);
        assertTrue(p0.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p0.exitValue());

        Path dir = tmp.resolve("killed");
        SplittableRandom rng = new SplittableRandom(6);
        int kills = 0, rounds = 0;
        while (true) {
            assertTrue(++rounds < 100, "too many rounds");
            Process p = start(dir, Files.exists(dir.resolve("checkpoint.bin")));
            if (kills < KILLS) {
                boolean ended = p.waitFor(800 + rng.nextInt(2500), TimeUnit.MILLISECONDS);
                if (!ended) { p.destroyForcibly().waitFor(); kills++; continue; }   // SIGKILL on Unix
            }
            assertTrue(p.waitFor(300, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "the run after " + kills + " kills failed");
            if (kills >= KILLS) break;
            // it finished before the kill: begin a new killed series in a fresh directory
            dir = tmp.resolve("killed-" + rounds);
        }
        assertArrayEquals(Files.readAllBytes(straight.resolve("samples.csv")), Files.readAllBytes(dir.resolve("samples.csv")));
        assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoint.bin")), Files.readAllBytes(dir.resolve("checkpoint.bin")));
        try (var files = Files.list(dir)) {
            List<String> left = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.equals(".lock")).toList();
            assertEquals(List.of(), left, "temporary or lock files left");
        }
    }
}
