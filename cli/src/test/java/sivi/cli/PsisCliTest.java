package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.data.Json;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.Tensor;

/** psis_khat and the method reports in summary.json, and sivi eval --log-q. */
class PsisCliTest {
    @TempDir Path tmp;

    @SuppressWarnings("unchecked")
    private Map<String, Object> fit(String... args) throws Exception {
        Path out = tmp.resolve("run" + System.nanoTime());
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--out", out.toString(), "--no-plot", "--quiet"}, 0, all, args.length, 4);
        String[] cmd = new String[all.length + 1];
        cmd[0] = "fit";
        System.arraycopy(all, 0, cmd, 1, all.length);
        MainTest.Result r = MainTest.run(cmd);
        assertEquals(0, r.code(), r.err());
        return (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
    }

    @Test void laplaceOnTheGaussianReportsLogZAndAGoodKhat() throws Exception {
        Map<String, Object> s = fit("--method", "laplace", "--target", "gaussian", "--iterations", "2", "--set", "inits=2", "--dtype", "f64", "--draws", "400");
        assertEquals(0, ((Number) s.get("log_z")).doubleValue(), 1e-6);   // normalised target: log Z = 0, exact up to the solver tolerance
        assertTrue(((Number) s.get("gradient_evals")).longValue() > 0);
        // q = p up to the solver tolerance: the ratios are (nearly) constant
        assertTrue(s.get("psis_khat") == null || ((Number) s.get("psis_khat")).doubleValue() < 0.5, String.valueOf(s.get("psis_khat")));
    }

    @Test void multiPathPathfinderReportsItsResamplingKhatAndCost() throws Exception {
        Map<String, Object> s = fit("--method", "pathfinder", "--target", "banana", "--iterations", "2", "--set", "paths=2", "--draws", "200");
        assertNotNull(s.get("psis_khat"));
        assertNotNull(s.get("psis_reading"));
        assertTrue(((Number) s.get("gradient_evals")).longValue() > 0);
    }

    @Test void aMethodWithoutADensityHasNullKhat() throws Exception {
        Map<String, Object> s = fit("--method", "svgd", "--target", "banana", "--iterations", "2", "--draws", "50");
        assertTrue(s.containsKey("psis_khat"));
        assertNull(s.get("psis_khat"));
    }

    @Test void semiImplicitMethodsReportKhatAgainstTheIwhviBoundAndResample() throws Exception {
        Path out = tmp.resolve("si");
        MainTest.Result r = MainTest.run("fit", "--method", "ksivi", "--target", "gaussian", "--iterations", "2", "--set", "hidden=8", "--draws", "200",
                "--psis-resample", "--out", out.toString(), "--no-plot", "--quiet");
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
        assertNotNull(s.get("psis_khat"));
        assertTrue(String.valueOf(s.get("psis_log_q")).startsWith("IWHVI upper bound"), String.valueOf(s.get("psis_log_q")));
        assertEquals("samples.psis.csv", s.get("psis_resampled"));
        long rows = Files.readAllLines(out.resolve("samples.psis.csv")).stream().filter(l -> !l.startsWith("#")).count();
        assertEquals(201, rows, "header and 200 resampled draws");
    }

    @Test void resamplingWithoutLogQWarnsAndWritesNothing() throws Exception {
        Path out = tmp.resolve("svgd");
        MainTest.Result r = MainTest.run("fit", "--method", "svgd", "--target", "banana", "--iterations", "2", "--draws", "50",
                "--psis-resample", "--out", out.toString(), "--no-plot");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("--psis-resample: svgd gives no log q"), r.err());
        assertFalse(Files.exists(out.resolve("samples.psis.csv")));
    }

    /**
     * SIR with the smoothed weights turns draws of q = N(0, 1.5²) into draws of p = N(0, 1) (d = 1): the mean of x²
     * over S = 4000 resampled draws is 1 within 4 standard errors, sd ≈ √(Var_p(x²)/ESS + Var_p(x²)/S) with
     * Var_p(x²) = 2 and ESS = S·√3.5 / 2.25 ≈ S/1.20 (weights ∝ exp(−x²(1 − 1/2.25)/2)); q's own value is 2.25.
     */
    @Test void psisResamplingReweightsTowardsTheTarget() {
        Target p = sivi.targets.Gaussian.correlated(1, 0);   // N(0, 1)
        int n = 4000;
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        double[] x = new double[n], logQ = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1.5 * r.nextGaussian();
            logQ[i] = -x[i] * x[i] / (2 * 2.25) - 0.5 * Math.log(2 * Math.PI * 2.25);
        }
        double[] y = PsisReport.resample(p, Tensor.of(x, n, 1), logQ, sivi.kernels.Rng.of(4, 1)).toDoubleArray();
        double m2 = 0;
        for (double v : y) m2 += v * v / y.length;
        double sd = Math.sqrt(2 / (n / 1.2027) + 2.0 / n);
        assertEquals(1, m2, 4 * sd);
    }

    @Test void evalWithLogQComputesKhat() throws Exception {
        // draws x with log q(x) := log p(x): every ratio is 0, importance sampling is exact
        Target t = Targets.create("banana");
        StringBuilder csv = new StringBuilder("x1,x2\n"), lq = new StringBuilder("log_q\n");
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        double[] x = new double[2 * 50];
        for (int i = 0; i < 50; i++) { x[2 * i] = r.nextGaussian(); x[2 * i + 1] = r.nextGaussian(); csv.append(x[2 * i]).append(',').append(x[2 * i + 1]).append('\n'); }
        double[] lp = sivi.autodiff.GradMode.noGrad(() -> t.logDensity(sivi.autodiff.Ops.constant(Tensor.of(x, 50, 2))).value().toDoubleArray());
        for (double v : lp) lq.append(v).append('\n');
        Path samples = Files.writeString(tmp.resolve("s.csv"), csv), logq = Files.writeString(tmp.resolve("lq.csv"), lq);
        MainTest.Result res = MainTest.run("eval", "--target", "banana", "--samples", samples.toString(), "--log-q", logq.toString());
        assertEquals(0, res.code(), res.err());
        assertTrue(res.out().contains("\"psis_reading\""), res.out());
        assertTrue(res.err().contains("PSIS k̂"), res.err());
        Path shortFile = Files.writeString(tmp.resolve("short.csv"), "1\n2\n");
        MainTest.Result bad = MainTest.run("eval", "--target", "banana", "--samples", samples.toString(), "--log-q", shortFile.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("has 2 log q values, --samples has 50 draws"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }
}
