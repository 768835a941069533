package sivi.methods;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sivi.fit.Fit;
import sivi.fit.Options;
import sivi.fit.Sivi;
import sivi.kernels.Rng;
import sivi.targets.Gaussian;
import sivi.tensor.DType;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each score-based method on a 2-D correlated Gaussian that the SIMINet family contains
 * (μ_φ linear in z, a ReLU net can represent it, plus diagonal σ): the objective is driven to
 * ≈ 0 and the draws' mean and covariance reach the exact ones.
 */
class RecoverGaussianTest {
    static final double[] MEAN = {0.5, -0.3};
    static final double[][] COV = {{1.0, 0.5}, {0.5, 0.8}};

    /**
     * Tolerances (absolute, on means and on covariance entries): the Monte Carlo error of the moment
     * estimates is small (20 000 draws: standard error ≤ 0.01 for every entry here), so the tolerances
     * are the optimisation error left by these deliberately short runs (≤ 4000 iterations at batch
     * ≤ 100, to keep each test under ~20 s on the scalar backend), measured and given headroom.
     * KSD-based methods: errors ≤ 0.05 measured → 0.08; ksivi with the Laplace kernel converges more
     * slowly (2000 iterations left cov errors up to 0.078 over seeds 1–3), so it runs 4000: errors
     * ≤ 0.021 (means) and ≤ 0.039 (cov) measured over seeds 1–3 → 0.08. KPG-IS: ≤ 0.14 measured → 0.2. SIVI-SM's mean
     * wanders at the critic's noise floor (a mean offset of 0.2 is a Fisher divergence of only ~0.04,
     * below the critic's estimation noise at this budget; measured over seeds 1–3: mean errors up to
     * 0.21, covariance errors ≤ 0.09) → 0.25 on means, 0.15 on covariances. An untrained family is
     * far off: the KSD objective must also fall to 2% of its initial value.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "ksivi|estimator=vanilla,its=2000|0.08|0.08",
            "ksivi|estimator=u,its=2000|0.08|0.08",
            "ksivi|kernel=laplace,its=4000|0.08|0.08",
            "ksivi-ml|layers=2,its=2000|0.08|0.08",
            "sivi-sm|f_hidden=32,lr_f=5e-3,lr=1e-3,its=4000|0.25|0.15",
            "kpg|lr=1e-3,its=4000|0.08|0.08",
            "kpg-is|lr=3e-3,lr_gamma=0.7,num_proposals=16,batch=64,proposal_hidden=16,its=1500|0.2|0.2",
    })
    void recoversMoments(String method, String extra, double tolMean, double tolCov) {
        Options o = Options.of("batch", "100", "zdim", "3", "hidden", "32", "lr", "5e-3", "lr_step", "500", "lr_gamma", "0.7",
                "logvar_init", "0");
        int its = 2000;
        for (String kv : extra.split(",")) { String[] p = kv.split("="); if (p[0].equals("its")) its = Integer.parseInt(p[1]); else o = o.with(p[0], p[1]); }
        Fit fit = Sivi.method(method).options(o).iterations(its).seed(1).dtype(DType.F64).draws(20000).fit(new Gaussian(MEAN, COV));
        double[] x = fit.samples().toDoubleArray();
        int n = x.length / 2;
        double m0 = 0, m1 = 0;
        for (int i = 0; i < n; i++) { m0 += x[2 * i]; m1 += x[2 * i + 1]; }
        m0 /= n; m1 /= n;
        double c00 = 0, c01 = 0, c11 = 0;
        for (int i = 0; i < n; i++) { double a = x[2 * i] - m0, b = x[2 * i + 1] - m1; c00 += a * a; c01 += a * b; c11 += b * b; }
        c00 /= n - 1; c01 /= n - 1; c11 /= n - 1;
        String got = String.format("mean (%.3f, %.3f) cov (%.3f %.3f %.3f)", m0, m1, c00, c01, c11);
        assertEquals(MEAN[0], m0, tolMean, got);
        assertEquals(MEAN[1], m1, tolMean, got);
        assertEquals(COV[0][0], c00, tolCov, got);
        assertEquals(COV[0][1], c01, tolCov, got);
        assertEquals(COV[1][1], c11, tolCov, got);
        double[] obj = fit.trace().objective();
        double first = 0;
        for (int i = 0; i < 20; i++) first += obj[i] / 20;
        if (method.equals("sivi-sm")) {
            // the minimax value starts near 0 (the critic starts near 0); at the end it estimates the
            // Fisher divergence, ≈ 0 up to the critic's noise
            assertTrue(Math.abs(fit.finalObjective()) < 0.05, "final SIVI-SM objective " + fit.finalObjective());
        } else {
            // KSD² estimates: from O(0.1–0.3) at the start to ≈ 0 (within 2% of the start). The Laplace
            // kernel's KSD² starts lower (measured 0.08–0.09 vs ≈ 0.2 for the Gaussian kernel).
            assertTrue(first > (extra.contains("kernel=laplace") ? 0.05 : 0.1), "initial KSD " + first);
            assertTrue(Math.abs(fit.finalObjective()) < 0.02 * first, "KSD " + first + " -> " + fit.finalObjective());
        }
    }
}
