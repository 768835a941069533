package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --resume continues the same run or refuses with one line; it never starts afresh or rewrites a finished run. */
class ResumeSafetyTest {
    @TempDir Path tmp;

    private static MainTest.Result fit(Path dir, String... more) {
        String[] base = {"fit", "--batch", "20", "--draws", "20", "--quiet", "--no-plot", "--out", dir.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return MainTest.run(all);
    }

    @Test void resumingWhereNothingWasWrittenIsAnError() throws Exception {
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        for (Path dir : new Path[] {empty, tmp.resolve("missing")}) {
            MainTest.Result r = fit(dir, "--iterations", "10", "--resume");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("nothing to resume"), r.err());
            assertFalse(Files.exists(dir.resolve("samples.csv")), "no run was started");
        }
    }

    @Test void resumingToFewerIterationsThanDoneChangesNothing() throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, fit(dir, "--iterations", "20").code());
        byte[] summary = Files.readAllBytes(dir.resolve("summary.json")), ck = Files.readAllBytes(dir.resolve("checkpoint.bin"));
        MainTest.Result r = fit(dir, "--iterations", "10", "--resume");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("is at iteration 20") && r.err().contains("would go back"), r.err());
        assertArrayEquals(summary, Files.readAllBytes(dir.resolve("summary.json")));
        assertArrayEquals(ck, Files.readAllBytes(dir.resolve("checkpoint.bin")));
    }

    @Test void resumingWithOtherHyperParametersIsRefusedNamingThem() throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, fit(dir, "--iterations", "10").code());
        MainTest.Result r = MainTest.run("fit", "--batch", "30", "--draws", "20", "--quiet", "--no-plot", "--out", dir.toString(), "--iterations", "20", "--resume");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("option batch 20 vs 30"), r.err());
    }

    @Test void aStepSizeMayChangeOnResumeAndTheChangeIsRecorded() throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, fit(dir, "--iterations", "10", "--set", "lr=0.01").code());
        MainTest.Result r = fit(dir, "--iterations", "20", "--set", "lr=0.005", "--resume");
        assertEquals(0, r.code(), r.err());
        String summary = Files.readString(dir.resolve("summary.json"));
        assertTrue(summary.replaceAll("\\s", "").contains("\"resume_history\":[{\"iteration\":10,\"changed\":{\"lr\":[\"0.01\",\"0.005\"]}}]"), summary);
    }

    @Test void forceReplacesAFinishedRunAndExcludesResume() throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, fit(dir, "--iterations", "10").code());
        MainTest.Result again = fit(dir, "--iterations", "10");
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--force to replace it"), again.err());
        assertEquals(0, fit(dir, "--iterations", "12", "--force").code());
        assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"iterations\": 12"));
        assertEquals(2, fit(dir, "--iterations", "20", "--force", "--resume").code());
    }

    @Test void aDivergedRunSaysHowToGoOn() {
        Path dir = tmp.resolve("run");
        MainTest.Result r = MainTest.run("fit", "--method", "advi", "--set", "lr=1e12", "--iterations", "50", "--quiet", "--no-plot", "--out", dir.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("non-finite objective at iteration") && r.err().contains("start afresh in this directory with --force and a smaller step size"), r.err());
    }
}
