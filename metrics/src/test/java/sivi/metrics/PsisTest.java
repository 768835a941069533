package sivi.metrics;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** PSIS k̂ against draws with a known Pareto index, against q = p and a wider q, and against arviz's psislw. */
class PsisTest {
    /** S draws of log X with X ~ GPD(k, σ = 1) by inversion: X = ((1 − U)^{−k} − 1)/k. */
    static double[] gpdLogRatios(double k, int s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] out = new double[s];
        for (int i = 0; i < s; i++) out[i] = Math.log(Psis.gpdQuantile(r.nextDouble(), k, 1));
        return out;
    }

    /**
     * Exceedances of a GPD over any threshold are GPD with the same k, so k̂ estimates k. Over R = 20 seeds the
     * mean k̂ is within 4 standard errors of k, with the MLE's asymptotic sd (1 + k)/√M per seed (Smith 1985;
     * Zhang &amp; Stephens' estimator is as efficient), M = 3√S = 190 tail draws, plus the prior's shift
     * (5 − 10k)/(M + 10) toward ½.
     */
    @Test void khatRecoversTheParetoIndexWithinItsSamplingError() {
        int s = 4000, reps = 20, m = (int) Math.ceil(3 * Math.sqrt(s));
        for (double k : new double[] {0.2, 0.5, 0.8}) {
            double sum = 0;
            for (int rep = 0; rep < reps; rep++) {
                Psis.Result res = Psis.smooth(gpdLogRatios(k, s, 100 + rep));
                assertEquals(m, res.tail());
                sum += res.khat();
            }
            double mean = sum / reps, prior = (5 - 10 * k) / (m + 10);
            double tol = 4 * (1 + k) / Math.sqrt((double) m * reps);
            assertEquals(k + prior, mean, tol, "k = " + k);
        }
    }

    @Test void equalRatiosFromQEqualToPGiveMinusInfinity() {
        // q = p: log p(x) − log q(x) is the same number for every draw, the weights are exactly uniform
        SplittableRandom r = new SplittableRandom(3);
        double[] lr = new double[1000];
        for (int i = 0; i < lr.length; i++) { double x = r.nextGaussian(); lr[i] = (-0.5 * x * x) - (-0.5 * x * x); }
        Psis.Result res = Psis.smooth(lr);
        assertEquals(Double.NEGATIVE_INFINITY, res.khat());
        for (double w : res.logWeights()) assertEquals(-Math.log(lr.length), w, 1e-12);
        assertEquals("good", res.reading());
    }

    /**
     * q = N(0, 1.2²) wider than p = N(0, 1): the ratio is bounded, so the true k is ≤ 0 (a GPD with an upper end
     * point); per seed k̂ &lt; 0.5 holds unless the estimate is off by more than 5 sd (sd ≈ 1/√M ≈ 0.07 at S = 4000).
     */
    @Test void boundedRatiosOfAWiderGaussianQGiveKhatBelowOneHalf() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            double[] lr = new double[4000];
            for (int i = 0; i < lr.length; i++) {
                double x = 1.2 * r.nextGaussian();
                lr[i] = -0.5 * x * x - (-0.5 * x * x / 1.44 - Math.log(1.2));
            }
            assertTrue(Psis.khat(lr) < 0.5, "seed " + seed + ": k̂ = " + Psis.khat(lr));
        }
    }

    @Test void smoothedWeightsAreNormalisedKeepTheBodyAndNeverExceedTheLargestRawRatio() {
        double[] lr = gpdLogRatios(0.9, 2000, 5);
        Psis.Result res = Psis.smooth(lr);
        double[] sorted = lr.clone();
        java.util.Arrays.sort(sorted);
        double cut = sorted[lr.length - res.tail() - 1], max = sorted[lr.length - 1];
        int ref = 0;
        while (lr[ref] > cut) ref++;   // a body draw: its weight is not smoothed
        double total = 0;
        for (int i = 0; i < lr.length; i++) {
            double w = res.logWeights()[i];
            total += Math.exp(w);
            // relative to the body draw: body ratios unchanged, tail ratios at most the largest raw ratio
            if (lr[i] <= cut) assertEquals(lr[i] - lr[ref], w - res.logWeights()[ref], 1e-9);
            else assertTrue(w - res.logWeights()[ref] <= max - lr[ref] + 1e-9);
        }
        assertEquals(1, total, 1e-12);
    }

    @Test void tooFewDrawsOrANonFiniteRatioIsAOneLineError() {
        assertThrows(IllegalArgumentException.class, () -> Psis.smooth(new double[5]));
        double[] lr = new double[20];
        lr[3] = Double.NaN;
        var e = assertThrows(IllegalArgumentException.class, () -> Psis.smooth(lr));
        assertTrue(e.getMessage().contains("not finite"));
    }

    /**
     * The same k̂ and smoothed log weights as arviz.psislw (reff = 1) on fixed ratios; skipped without python3 + arviz.
     * One python process (importing arviz takes seconds).
     */
    @Test void agreesWithArvizPsislw() throws IOException, InterruptedException {
        double[] ks = {0.3, 0.9};
        Path dir = Files.createTempDirectory("psis");
        try {
            StringBuilder code = new StringBuilder("import sys\ntry:\n    import numpy as np, arviz as az\nexcept ImportError:\n    sys.exit(3)\n");
            for (int j = 0; j < ks.length; j++) {
                StringBuilder b = new StringBuilder();
                for (double v : gpdLogRatios(ks[j], 1500, 11)) b.append(v).append('\n');
                Files.writeString(dir.resolve("in" + j), b);
                code.append("lw, k = az.psislw(np.loadtxt('").append(dir.resolve("in" + j)).append("'))\n")
                    .append("np.savetxt('").append(dir.resolve("out" + j)).append("', np.concatenate([[k], lw]), fmt='%.17g')\n");
            }
            int rc = python(code.toString());
            assumeTrue(rc != 3 && rc != -1, "python3 with arviz is not available: skipping the cross-check against az.psislw");
            assertEquals(0, rc, "python3 psislw failed");
            for (int j = 0; j < ks.length; j++) {
                double[] lr = gpdLogRatios(ks[j], 1500, 11);
                String[] lines = Files.readString(dir.resolve("out" + j), StandardCharsets.UTF_8).trim().split("\\s+");
                Psis.Result res = Psis.smooth(lr);
                // the same float64 operations in a different order: agreement far below any statistical scale
                assertEquals(Double.parseDouble(lines[0]), res.khat(), 1e-10, "k̂, k = " + ks[j]);
                for (int i = 0; i < lr.length; i++) assertEquals(Double.parseDouble(lines[i + 1]), res.logWeights()[i], 1e-9, "log weight " + i);
            }
        } finally {
            try (var files = Files.list(dir)) { for (Path f : files.toList()) Files.delete(f); }
            Files.delete(dir);
        }
    }

    private static int python(String code) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return -1;   // no python3
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) { p.destroyForcibly(); return -1; }
        return p.exitValue();
    }
}
