package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.cli.MainTest.json;
import static sivi.cli.MainTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.autodiff.Var;
import sivi.data.Csv;
import sivi.data.Table;
import sivi.data.Json;
import sivi.kernels.Rng;
import sivi.targets.DataTargets;
import sivi.targets.Gaussian;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/** mcmc, eval metrics, devices, bench, fit --device and the data-target seam, all in-process and short. */
class CommandsTest {
    @TempDir Path tmp;

    /** A toy data target: N(column means of the features, I), to exercise the DataTargets seam. */
    static final String DATA_TARGET = "test-csv-means";

    static {
        DataTargets.register(DATA_TARGET, "test only: N(feature means, I)", (csv, response) -> {
            Table t = Csv.read(csv);
            int y = t.columnIndex(response);
            double[][] x = t.featuresExcept(y);
            int d = x[0].length;
            double[] mu = new double[d];
            double[][] cov = new double[d][d];
            for (double[] r : x) for (int j = 0; j < d; j++) mu[j] += r[j] / x.length;
            for (int j = 0; j < d; j++) cov[j][j] = 1;
            Gaussian g = new Gaussian(mu, cov);
            return new Target() {
                @Override public String name() { return DATA_TARGET; }
                @Override public int dim() { return d; }
                @Override public boolean isNormalised() { return g.isNormalised(); }
                @Override public Var logDensity(Var v) { return g.logDensity(v); }
                @Override public Tensor scoreValue(Tensor v) { return g.scoreValue(v); }
                @Override public Optional<Tensor> exactSample(Rng rng, int n) { return g.exactSample(rng, n); }
            };
        });
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metricsOf(MainTest.Result r) { return (Map<String, Object>) ((Map<String, Object>) Json.parse(r.out())).get("metrics"); }

    @Test void mcmcOnGaussianWritesDrawsWithChainIdsAndDiagnostics() throws Exception {
        Path dir = tmp.resolve("mc");
        MainTest.Result r = run("mcmc", "--target", "gaussian", "--warmup", "150", "--draws", "100", "--chains", "2", "--threads", "2", "--seed", "3", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(dir.toString(), r.out().strip());
        assertTrue(r.err().contains("chain 2/2 done") && r.err().contains("R-hat"), "progress lines: " + r.err());

        List<String> lines = Files.readAllLines(dir.resolve("samples.csv"));
        assertEquals("x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,chain__", lines.getFirst());
        assertEquals(201, lines.size());
        assertTrue(lines.get(1).endsWith(",1") && lines.get(200).endsWith(",2"));

        Map<String, Object> s = json(dir.resolve("summary.json"));
        for (String k : List.of("rhat", "ess_bulk", "rhat_max", "ess_bulk_min", "step_size", "divergences", "warmup_divergences",
                "tree_depth_mean", "tree_depth_max", "wall_seconds", "metrics"))
            assertTrue(s.containsKey(k), "summary.json lacks " + k);
        assertEquals(10, ((Map<?, ?>) s.get("rhat")).size());
        assertEquals(2, ((List<?>) s.get("step_size")).size());
        assertTrue(((Number) s.get("rhat_max")).doubleValue() < 1.2, "a well-mixed Gaussian: " + s.get("rhat"));

        // eval reads the file (chain__ dropped) and reproduces the metrics of summary.json
        MainTest.Result e = run("eval", "--target", "gaussian", "--samples", dir.resolve("samples.csv").toString());
        assertEquals(0, e.code(), e.err());
        Map<String, Object> m = metricsOf(e);
        @SuppressWarnings("unchecked") Map<String, Object> fromRun = (Map<String, Object>) s.get("metrics");
        assertEquals(fromRun.keySet(), m.keySet());
        assertEquals(((Number) fromRun.get("mmd2_rbf")).doubleValue(), ((Number) m.get("mmd2_rbf")).doubleValue(), 1e-12);
        assertEquals(200, m.get("n_draws"));

        // the draws do not depend on the number of threads
        Path one = tmp.resolve("mc1");
        assertEquals(0, run("mcmc", "--target", "gaussian", "--warmup", "150", "--draws", "100", "--chains", "2", "--seed", "3", "--quiet", "--out", one.toString()).code());
        assertEquals(Files.readString(dir.resolve("samples.csv")), Files.readString(one.resolve("samples.csv")));
        // and an existing run is not overwritten
        MainTest.Result again = run("mcmc", "--target", "gaussian", "--out", dir.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds a run"), again.err());
    }

    @Test void hmcRunsToo() throws Exception {
        Path dir = tmp.resolve("hmc");
        MainTest.Result r = run("mcmc", "--target", "banana", "--method", "hmc", "--warmup", "50", "--draws", "30", "--chains", "1", "--quiet", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        // --quiet leaves only the divergence warning, if this short run has divergences
        assertTrue(r.err().isEmpty() || (r.errLines().size() == 1 && r.err().contains("divergent transitions")), r.err());
        assertEquals("hmc", json(dir.resolve("summary.json")).get("method"));
    }

    @Test void divergencesAreWarnedAboutEvenWhenQuietAndTargetAcceptIsRecorded() throws Exception {
        // NUTS at the default 0.8 diverges on the banana's curved tails (NutsTest: every one of 30 seeds at the default run length); the warning names the remedy
        MainTest.Result r = run("mcmc", "--target", "banana", "--threads", "2", "--seed", "1", "--quiet", "--out", tmp.resolve("div").toString());
        assertEquals(0, r.code(), r.err());
        int div = ((Number) json(tmp.resolve("div/summary.json")).get("divergences")).intValue();
        assertTrue(div > 0, "expected divergences at target_accept 0.8");
        assertTrue(r.err().contains(div + " divergent transitions") && r.err().contains("--target-accept"), r.err());
        MainTest.Result hi = run("mcmc", "--target", "banana", "--warmup", "300", "--draws", "300", "--chains", "2", "--seed", "1", "--quiet",
                "--target-accept", "0.99", "--out", tmp.resolve("div99").toString());
        assertEquals(0, hi.code(), hi.err());
        assertEquals(0.99, ((Number) json(tmp.resolve("div99/summary.json")).get("target_accept")).doubleValue());
    }

    @Test void evalReportsEveryMetricAgainstExactDraws() throws Exception {
        Path f = tmp.resolve("ref.csv");
        // draws of the target itself (another seed): every distance should be small
        MainTest.Result r = run("mcmc", "--target", "banana", "--warmup", "200", "--draws", "300", "--chains", "1", "--quiet", "--out", tmp.resolve("b").toString());
        assertEquals(0, r.code(), r.err());
        Files.copy(tmp.resolve("b/samples.csv"), f);
        MainTest.Result e = run("eval", "--target", "banana", "--samples", f.toString());
        assertEquals(0, e.code(), e.err());
        Map<String, Object> m = metricsOf(e);
        for (String k : List.of("n_draws", "reference_n", "mmd2_rbf", "mmd2_rbf_se", "mmd_rbf_bandwidth", "energy_distance", "energy_distance_se",
                "sliced_w2", "kl_knn_draws_ref_nats", "kl_knn_ref_draws_nats", "mean_abs_error_max", "mean_abs_error_rms", "sd_abs_error_max",
                "sd_abs_error_rms", "corr_abs_error_max", "corr_abs_error_rms", "ksd2_imq", "ksd2_imq_se", "ksd2_rbf", "ksd2_rbf_se", "ksd_rbf_bandwidth"))
            assertInstanceOf(Number.class, m.get(k), k + " in " + m);
        assertEquals(1000, m.get("reference_n"));

        // clearly wrong draws (shifted by 3) score worse on every distance
        StringBuilder shifted = new StringBuilder("x1,x2\n");
        for (String line : Files.readAllLines(f).subList(1, 301)) {
            String[] c = line.split(",");
            shifted.append(Double.parseDouble(c[0]) + 3).append(',').append(c[1]).append('\n');
        }
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, shifted);
        Map<String, Object> mb = metricsOf(run("eval", "--target", "banana", "--samples", bad.toString()));
        for (String k : List.of("mmd2_rbf", "energy_distance", "sliced_w2", "kl_knn_draws_ref_nats", "mean_abs_error_max", "ksd2_imq"))
            assertTrue(((Number) mb.get(k)).doubleValue() > ((Number) m.get(k)).doubleValue(), k + ": " + mb.get(k) + " vs " + m.get(k));
    }

    @Test void ksdNeedsNoReference() throws Exception {
        Path f = tmp.resolve("cd.csv");
        StringBuilder b = new StringBuilder();
        for (int j = 1; j <= 50; j++) b.append(j > 1 ? "," : "").append("x").append(j);
        b.append('\n');
        Rng rng = new Rng(5);
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 50; j++) b.append(j > 0 ? "," : "").append(rng.nextDouble());
            b.append('\n');
        }
        Files.writeString(f, b);
        MainTest.Result e = run("eval", "--target", "cond-diffusion-50", "--samples", f.toString());
        assertEquals(0, e.code(), e.err());
        Map<String, Object> m = metricsOf(e);
        assertInstanceOf(Number.class, m.get("ksd2_imq"));
        assertFalse(m.containsKey("mmd2_rbf"), "no exact draws, no reference: " + m);
    }

    @Test void fitMetricsMatchEvalOfItsSamples() throws Exception {
        Path dir = tmp.resolve("fit");
        assertEquals(0, run("fit", "--iterations", "10", "--batch", "20", "--draws", "60", "--seed", "9", "--quiet", "--no-plot", "--out", dir.toString()).code());
        Map<String, Object> s = json(dir.resolve("summary.json"));
        assertEquals("exact (1000 draws, seed 1)", s.get("metrics_reference"));
        @SuppressWarnings("unchecked") Map<String, Object> fromRun = (Map<String, Object>) s.get("metrics");
        Map<String, Object> m = metricsOf(run("eval", "--target", "banana", "--samples", dir.resolve("samples.csv").toString()));
        // Same draws, same reference: equal up to rounding (the KSD of an f32 fit agrees to about 1e-8 relative).
        for (String k : fromRun.keySet())
            assertEquals(((Number) fromRun.get(k)).doubleValue(), ((Number) m.get(k)).doubleValue(), 1e-6 * (1 + Math.abs(((Number) m.get(k)).doubleValue())), k);
    }

    @Test void devicesExitsZeroWithOrWithoutOpenCl() {
        MainTest.Result r = run("devices");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("OpenCL"), r.out());
        assertTrue(r.out().contains("simd: pairwise native"), r.out());   // the fused-op table: SIMD runs every fused op natively
        assertTrue(r.out().contains("scalar:") && r.out().contains("logistic TWIN"), r.out());
    }

    @Test void benchDelegatesToTheHarness() {
        MainTest.Result h = run("bench", "--help");
        assertEquals(0, h.code());
        for (String s : List.of("kernels [--quick] [--json FILE]", "step --method M --target T [--batch N] [--threads T] [--json FILE]", "breakdown [--batch N] [--backend NAME] [--threads T]",
                "compare --baseline FILE [--quick] [--fail-on-regression]", "report --out DIR [--quick]",
                "threads --method M --target T [--batch N] [--threads T]", "jars --old JAR [--new JAR] --method M --target T"))
            assertTrue(h.out().contains(s), h.out());
        MainTest.Result bad = run("bench", "frobnicate");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("kernels, step, threads, jars, breakdown, compare, report"), bad.err());
        // a failure's hint names --debug: the bench takes it as a flag, not as an option missing its value
        MainTest.Result debug = run("bench", "step", "--method", "nope", "--target", "banana", "--debug");
        assertEquals(2, debug.code(), debug.err());
        assertTrue(debug.err().contains("nope") && !debug.err().contains("needs a value"), debug.err());
        MainTest.Result missing = run("bench", "compare", "--baseline", tmp.resolve("none.json").toString(), "--quick");
        assertEquals(2, missing.code());
        assertEquals(1, missing.errLines().size(), missing.err());
        MainTest.Result step = run("bench", "step", "--method", "ksivi", "--target", "banana", "--batch", "16", "--quick");
        assertEquals(0, step.code(), step.err());
        assertTrue(step.out().contains("ms/iteration"), step.out());
        assertTrue(step.out().matches("(?s).*\\n    \\d+×\\d+×\\d+: [0-9.]+ calls, .*"), "a GEMM shape line: " + step.out());
    }

    @Test void dataTargetsAreBoundThroughTheRegistry() throws Exception {
        Path csv = tmp.resolve("d.csv");
        Files.writeString(csv, "a,y,b\n1,0,3\n2,1,5\n3,0,7\n");
        Path dir = tmp.resolve("data-run");
        MainTest.Result r = run("fit", "--target", DATA_TARGET, "--method", "ksivi", "--data", csv.toString(), "--response", "y",
                "--iterations", "5", "--set", "batch=10", "--draws", "20", "--quiet", "--no-plot", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> s = json(dir.resolve("summary.json"));
        assertEquals(csv.toString(), s.get("data"));
        assertEquals("y", s.get("response"));
        assertEquals("a,b", Files.readAllLines(dir.resolve("samples.csv")).getFirst().replace("x1", "a").replace("x2", "b"));
        // sample rebinds the data file recorded in summary.json
        Path again = tmp.resolve("again.csv");
        assertEquals(0, run("sample", "--run", dir.toString(), "--draws", "20", "--out", again.toString()).code());
        assertEquals(Files.readString(dir.resolve("samples.csv")), Files.readString(again));

        MainTest.Result noData = run("fit", "--target", DATA_TARGET);
        assertEquals(2, noData.code());
        assertTrue(noData.err().contains("needs --data FILE.csv --response COL"), noData.err());
        MainTest.Result badColumn = run("fit", "--target", DATA_TARGET, "--data", csv.toString(), "--response", "nope", "--out", tmp.resolve("x").toString());
        assertEquals(1, badColumn.code());
        assertEquals(1, badColumn.errLines().size(), badColumn.err());
        assertTrue(badColumn.err().contains("no column named 'nope'"), badColumn.err());
        MainTest.Result notData = run("fit", "--target", "banana", "--data", csv.toString(), "--response", "y");
        assertEquals(2, notData.code());
        assertTrue(notData.err().contains("does not take a data file") && notData.err().contains(DATA_TARGET), notData.err());
        assertTrue(run("targets").out().contains(DATA_TARGET));
    }
}
