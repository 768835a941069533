package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.cli.MainTest.json;
import static sivi.cli.MainTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eval and mcmc take --data/--response as fit does, so the error that asks for them is true for every command. */
class DataOptionsTest {
    @TempDir Path tmp;

    private Path csv() throws Exception {
        StringBuilder b = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 30; i++) b.append(i % 5 - 2).append(',').append((i * 7) % 3 - 1).append(',').append(i % 2).append('\n');
        return Files.writeString(tmp.resolve("d.csv"), b);
    }

    @Test void mcmcAndEvalBindADataTarget() throws Exception {
        Path data = csv(), dir = tmp.resolve("mc");
        MainTest.Result m = run("mcmc", "--target", "lr-csv", "--data", data.toString(), "--response", "y", "--warmup", "60", "--draws", "30",
                "--chains", "1", "--quiet", "--out", dir.toString());
        assertEquals(0, m.code(), m.err());
        var s = json(dir.resolve("summary.json"));
        assertEquals(data.toString(), s.get("data"));
        assertEquals("y", s.get("response"));
        MainTest.Result e = run("eval", "--target", "lr-csv", "--data", data.toString(), "--response", "y", "--samples", dir.resolve("samples.csv").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("\"ksd2_imq\""), e.out());
    }

    @Test void withoutTheDataFileEveryCommandAsksForIt() throws Exception {
        Path samples = Files.writeString(tmp.resolve("s.csv"), "a,b,c\n0,0,0\n");
        for (String[] args : new String[][] {{"fit", "--target", "lr-csv"}, {"mcmc", "--target", "lr-csv", "--out", tmp.resolve("x").toString()},
                {"eval", "--target", "lr-csv", "--samples", samples.toString()}}) {
            MainTest.Result r = run(args);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("target 'lr-csv' needs --data FILE.csv --response COL"), r.err());
        }
        MainTest.Result noResponse = run("eval", "--target", "lr-csv", "--data", csv().toString(), "--samples", samples.toString());
        assertEquals(2, noResponse.code());
        assertTrue(noResponse.err().contains("--data needs --response COL"), noResponse.err());
    }
}
