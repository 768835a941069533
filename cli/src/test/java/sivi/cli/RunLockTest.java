package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
    @TempDir Path tmp;

    /** Two processes started together into one --out: exactly one writes the run, the other says why it did not. */
    @Test void twoFitsIntoOneDirectoryOneSucceeds() throws Exception {
        Path dir = tmp.resolve("run");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 2; i++)
            ps.add(new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                    "sivi.cli.Main", "fit", "--iterations", "300", "--batch", "50", "--draws", "20", "--no-plot", "--quiet", "--out", dir.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(tmp.resolve("err" + i).toFile()).start());
        int ok = 0;
        for (int i = 0; i < 2; i++) {
            int code = ps.get(i).waitFor();
            String err = Files.readString(tmp.resolve("err" + i), StandardCharsets.UTF_8);
            if (code == 0) ok++;
            // the loser either met the lock (exit 1) or, if it started after the winner ended, the finished run (exit 2)
            else assertTrue(code == 1 && err.contains("is in use by another sivi process") || code == 2 && err.contains("already holds a run"), code + ": " + err);
        }
        assertEquals(1, ok);
        assertTrue(Files.exists(dir.resolve("samples.csv")));
        assertFalse(Files.exists(dir.resolve(".lock")), "the lock goes with the run");
    }

    @Test void aLockHeldInThisProcessIsRespectedAndReleased() {
        Path dir = tmp.resolve("run");
        try (RunLock held = RunLock.acquire(dir)) {
            MainTest.Result r = MainTest.run("fit", "--iterations", "5", "--batch", "10", "--draws", "5", "--quiet", "--no-plot", "--out", dir.toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("is in use by another sivi process (pid " + ProcessHandle.current().pid() + ")"), r.err());
        }
        assertEquals(0, MainTest.run("fit", "--iterations", "5", "--batch", "10", "--draws", "5", "--quiet", "--no-plot", "--out", dir.toString()).code());
    }

    @Test void anOutThatIsAFileFailsBeforeAnyWork() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        MainTest.Result r = MainTest.run("fit", "--iterations", "100000", "--quiet", "--no-plot", "--out", file.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("it is a file"), r.err());
    }

    @Test void anUnwritableOutFailsBeforeAnyWork() throws Exception {
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        new File(ro.toString()).setWritable(false);
        assumeFalse(Files.isWritable(ro), "running as root: permissions are not enforced, the read-only case cannot be tested here");
        MainTest.Result w = MainTest.run("fit", "--iterations", "100000", "--quiet", "--no-plot", "--out", ro.resolve("run").toString());
        assertEquals(1, w.code(), w.err());
        assertTrue(w.err().contains("cannot write to"), w.err());
    }
}
