package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.cli.MainTest.json;
import static sivi.cli.MainTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.Tensor;

/** sivi mcmc --thin, --save-warmup (CmdStan's layout) and --init (CmdStan's init file), with their one-line errors. */
class McmcOptionsTest {
    @TempDir Path tmp;

    @Test void thinnedRunWithWarmupWritesCmdStansLayout() throws Exception {
        Path dir = tmp.resolve("w");
        MainTest.Result r = run("mcmc", "--target", "gaussian", "--warmup", "60", "--draws", "40", "--chains", "2", "--thin", "3",
                "--save-warmup", "--format", "cmdstan", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        for (int c = 1; c <= 2; c++) {
            List<String> lines = Files.readAllLines(dir.resolve("chain-" + c + ".cmdstan.csv"));
            assertTrue(lines.contains("# save_warmup = 1") && lines.contains("# thin = 3") && lines.contains("# num_warmup = 60") && lines.contains("# num_samples = 40"));
            int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("lp__,")).findFirst().orElseThrow());
            int adapted = lines.indexOf("# Adaptation terminated");
            long after = lines.subList(adapted, lines.size()).stream().filter(l -> !l.startsWith("#")).count();
            assertEquals(20, adapted - header - 1, "⌈60/3⌉ warm-up rows between the header and the adaptation");
            assertEquals(14, after, "⌈40/3⌉ draws after it");
        }
        assertEquals(1 + 2 * 20, Files.readAllLines(dir.resolve("warmup.csv")).size());
        assertEquals(1 + 2 * 14, Files.readAllLines(dir.resolve("samples.csv")).size());
        Map<String, Object> s = json(dir.resolve("summary.json"));
        assertEquals(14, ((Number) s.get("draws_kept")).intValue());
        assertEquals(20, ((Number) s.get("warmup_kept")).intValue());
        assertEquals(Boolean.TRUE, s.get("save_warmup"));
    }

    @Test void thinningKeepsEveryNthDrawOfTheUnthinnedRun() throws Exception {
        Path all = tmp.resolve("all"), thin = tmp.resolve("thin");
        assertEquals(0, run("mcmc", "--target", "gaussian", "--warmup", "50", "--draws", "30", "--chains", "1", "--quiet", "--out", all.toString()).code());
        assertEquals(0, run("mcmc", "--target", "gaussian", "--warmup", "50", "--draws", "30", "--chains", "1", "--thin", "4", "--quiet", "--out", thin.toString()).code());
        List<String> a = Files.readAllLines(all.resolve("samples.csv")), t = Files.readAllLines(thin.resolve("samples.csv"));
        assertEquals(1 + 8, t.size());
        for (int n = 0; n < 8; n++) assertEquals(a.get(1 + 4 * n), t.get(1 + n));
    }

    static final String ES = "pdb-eight_schools-eight_schools_noncentered";

    /**
     * arma11 from seed 1's uniform starts strands a chain where |theta| > 1 (the errors grow like 1.28^t, log
     * density −1e37, step size adapted to 1e-31: R-hat 1.5 on 4 × 1000 draws, docs/results/posteriordb-nuts-session11.md),
     * and the run warns; from Pathfinder's draws every chain starts in the bulk and they agree (R-hat well below
     * 1.05 even on 300 draws).
     */
    @Test void pathfinderInitsKeepEveryArmaChainInTheBulk() throws Exception {
        MainTest.Result uniform = run("mcmc", "--target", "pdb-arma-arma11", "--warmup", "100", "--draws", "100", "--chains", "4",
                "--no-plot", "--quiet", "--out", tmp.resolve("u").toString());
        assertEquals(0, uniform.code(), uniform.err());
        assertTrue(uniform.err().contains("warning: max R-hat") && uniform.err().contains("--init pathfinder"), uniform.err());
        Path dir = tmp.resolve("pf");
        MainTest.Result r = run("mcmc", "--target", "pdb-arma-arma11", "--warmup", "300", "--draws", "300", "--chains", "4",
                "--init", "pathfinder", "--no-plot", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> s = json(dir.resolve("summary.json"));
        assertEquals("pathfinder", s.get("init"));
        assertEquals(4, ((Number) s.get("init_paths")).intValue());
        assertTrue(((Number) s.get("rhat_max")).doubleValue() < 1.05, "R-hat " + s.get("rhat_max"));
        assertFalse(r.err().contains("R-hat"), r.err());
        MainTest.Result bad = run("mcmc", "--target", ES, "--init", "pathfinder", "--init-paths", "1", "--out", tmp.resolve("y").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--init-paths must be >= 2"), bad.err());
        MainTest.Result stray = run("mcmc", "--target", ES, "--init-paths", "8", "--out", tmp.resolve("z").toString());
        assertEquals(2, stray.code(), stray.err());
        assertTrue(stray.err().contains("--init-paths applies only with --init pathfinder"), stray.err());
    }

    /** Constrained values by Stan name (theta as an array) come back unchanged through constrain(unconstrain(·)). */
    @Test void initValuesByStanNameRoundTripThroughTheConstraints() throws Exception {
        Path f = Files.writeString(tmp.resolve("init.json"), "{\"mu\": 1.5, \"tau\": 2.0, \"theta\": [1, 2, 3, 4, 5, 6, 7, 8]}");
        Target t = Targets.create(ES);
        double[] x = InitValues.read(f, t);
        double[] y = t.constrain(Tensor.of(x, 1, x.length)).toDoubleArray();
        List<String> names = t.outputNames();
        for (int j = 0; j < 8; j++) assertEquals(j + 1, y[names.indexOf("theta[" + (j + 1) + "]")], 1e-12);
        assertEquals(1.5, y[names.indexOf("mu")], 1e-12);
        assertEquals(2.0, y[names.indexOf("tau")], 1e-12);
        // output names work as keys too
        Path g = Files.writeString(tmp.resolve("g.json"), "{\"x1\": 0.5, \"x2\": -1}");
        assertArrayEquals(new double[] {0.5, -1}, InitValues.read(g, Targets.banana()));
    }

    @Test void runFromAnInitialPointRecordsIt() throws Exception {
        Path f = Files.writeString(tmp.resolve("init.json"), "{\"mu\": 1.5, \"tau\": 2.0, \"theta\": [1, 2, 3, 4, 5, 6, 7, 8]}");
        Path dir = tmp.resolve("run");
        MainTest.Result r = run("mcmc", "--target", ES, "--warmup", "30", "--draws", "10", "--chains", "2", "--init", f.toString(), "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(f.toString(), json(dir.resolve("summary.json")).get("init"));
    }

    @Test void badInitFilesAreOneLineErrors() throws Exception {
        record Case(String json, String message) {}
        for (Case c : List.of(
                new Case("{\"mu\": 1, \"tau\": 1, \"theta\": [1,2,3,4,5,6,7,8], \"sigma\": 2}", "unknown name(s) [sigma] for target " + ES),
                new Case("{\"mu\": 1, \"theta\": [1,2,3,4,5,6,7,8]}", "no value was given for [tau]"),
                new Case("{\"mu\": 1, \"tau\": -1, \"theta\": [1,2,3,4,5,6,7,8]}", "tau"),
                new Case("{\"mu\": 1, \"tau\": 1, \"theta\": [1,2,3]}", "theta must be an array with an element for theta[4]"),
                new Case("{\"mu\": \"a\", \"tau\": 1, \"theta\": [1,2,3,4,5,6,7,8]}", "the value of mu is not a finite number"),
                new Case("[1, 2]", "expected a JSON object"),
                new Case("{\"mu\": ", "not valid JSON"))) {
            Path f = Files.writeString(tmp.resolve("bad.json"), c.json());
            MainTest.Result r = run("mcmc", "--target", ES, "--warmup", "10", "--draws", "5", "--chains", "1", "--init", f.toString(), "--out", tmp.resolve("x").toString());
            assertEquals(1, r.code(), c.json() + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("--init " + f + ": ") && r.err().contains(c.message()), c.json() + ": " + r.err());
        }
        MainTest.Result missing = run("mcmc", "--target", ES, "--init", tmp.resolve("none.json").toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, missing.code(), missing.err());
        MainTest.Result thin = run("mcmc", "--target", ES, "--thin", "0", "--out", tmp.resolve("x").toString());
        assertEquals(2, thin.code(), thin.err());
    }
}
