package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unusable --out of {@code sample} and {@code bench} fails before any work, in one line with exit 1
 * (issue 22; {@code fit} is RunLockTest's). "Before any work" shows as a fast failure of a command
 * asked for minutes of work, and as no output file.
 */
class OutChecksTest {
    @TempDir Path tmp;

    private static void failsInOneLine(MainTest.Result r, String command, String what) {
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("sivi " + command + ": ") && r.err().contains(what), r.err());
    }

    private Path run() {
        Path run = tmp.resolve("run");
        assertEquals(0, MainTest.run("fit", "--iterations", "5", "--batch", "10", "--draws", "5", "--quiet", "--no-plot", "--out", run.toString()).code());
        return run;
    }

    @Test void sampleOutUnderAFileFailsBeforeDrawing() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path out = file.resolve("draws.csv");
        MainTest.Result r = MainTest.run("sample", "--run", run().toString(), "--draws", "100000000", "--out", out.toString());
        failsInOneLine(r, "sample", "cannot write to " + out + ": " + file + " is a file");
    }

    @Test void sampleOutThatIsADirectoryIsRefused() throws Exception {
        MainTest.Result r = MainTest.run("sample", "--run", run().toString(), "--draws", "100000000", "--force", "--out", tmp.toString());
        assertEquals(2, r.code(), r.err());   // a directory where a file name belongs is a usage error, as before
        assertTrue(r.err().contains("is a directory"), r.err());
    }

    @Test void benchReportOutThatIsAFileFailsBeforeMeasuring() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        failsInOneLine(MainTest.run("bench", "report", "--out", file.toString()), "bench", "cannot write to " + file + ": it is a file");
        Path under = file.resolve("report");
        failsInOneLine(MainTest.run("bench", "report", "--out", under.toString()), "bench", "cannot write to " + under + ": " + file + " is a file");
    }

    @Test void benchJsonUnderAFileFailsBeforeMeasuring() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path json = file.resolve("step.json");
        failsInOneLine(MainTest.run("bench", "step", "--method", "ksivi", "--target", "lr-waveform", "--json", json.toString()), "bench",
                "cannot write to " + json + ": " + file + " is a file");
        failsInOneLine(MainTest.run("bench", "kernels", "--json", tmp.toString()), "bench", "cannot write to " + tmp + ": it is a directory");
    }

    @Test void readOnlyOutputsFailBeforeAnyWork() throws Exception {
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        new File(ro.toString()).setWritable(false);
        assumeFalse(Files.isWritable(ro), "running as root: permissions are not enforced, the read-only case cannot be tested here");
        failsInOneLine(MainTest.run("sample", "--run", run().toString(), "--out", ro.resolve("d.csv").toString()), "sample", "permission denied");
        failsInOneLine(MainTest.run("bench", "report", "--out", ro.resolve("r").toString()), "bench", "permission denied");
    }

    @Test void aDamagedBenchBaselineFailsInOneLineBeforeMeasuring() throws Exception {
        for (String text : new String[] {"{\"ratios\": [1, 2]}", "{\"ratios\": {\"a\": \"x\"}}", "[]", "{\"ratios\": {\"a\": 1e400}}"}) {
            Path base = Files.writeString(tmp.resolve("base.json"), text);
            failsInOneLine(MainTest.run("bench", "compare", "--baseline", base.toString()), "bench", "baseline " + base + ": ");
        }
    }
}
