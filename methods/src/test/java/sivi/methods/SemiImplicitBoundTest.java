package sivi.methods;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.families.Family;
import sivi.families.ReverseModel;
import sivi.fit.DensitySession;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;

/**
 * The upper bound on log q that PSIS-k̂ uses for semi-implicit methods, against the exact log q of the linear
 * fixture (q(x) = N(b, WᵀW + diag σ²)): over n = 2000 draws the mean of log q̂ − log q is ≥ 0 within 4 standard
 * errors (E log q̂ ≥ log q), for the mixing distribution and for an (untrained) IWHVI reverse model as proposal; it
 * tightens from K = 1 to K = 1000 by more than 4 standard errors of the difference; and the float64 loop for
 * diagonal conditionals agrees with the family's own conditional log-density.
 */
class SemiImplicitBoundTest {
    static final int N = 2000;

    /** mean and standard error of log q̂(x) − log q(x) over the draws. */
    static double[] gap(LinearGaussianFixture f, DensitySession.Draws d) {
        double[] x = d.x().toDoubleArray(), lq = d.logQ().toDoubleArray();
        double s = 0, s2 = 0;
        for (int i = 0; i < N; i++) { double g = lq[i] - f.logQ(x[2 * i], x[2 * i + 1]); s += g; s2 += g * g; }
        double m = s / N;
        return new double[] {m, Math.sqrt((s2 / N - m * m) / N)};
    }

    @Test void theMixingProposalBoundsLogQFromAboveAndTightensWithK() {
        LinearGaussianFixture f = new LinearGaussianFixture(3, -3, 11);   // σ² = e^-3: q(x|z) much narrower than q(x)
        double[] g1 = gap(f, SemiImplicitBound.withMixingProposal(f.q, f.params, Rng.of(1, 1), N, 1));
        double[] g1000 = gap(f, SemiImplicitBound.withMixingProposal(f.q, f.params, Rng.of(1, 2), N, 1000));
        assertTrue(g1[0] >= -4 * g1[1], "K = 1: E log q̂ ≥ log q, gap " + g1[0] + " ± " + g1[1]);
        assertTrue(g1000[0] >= -4 * g1000[1], "K = 1000: gap " + g1000[0] + " ± " + g1000[1]);
        assertTrue(g1[0] - g1000[0] > 4 * Math.hypot(g1[1], g1000[1]), "tightens with K: " + g1[0] + " vs " + g1000[0]);
    }

    @Test void theReverseModelProposalBoundsLogQFromAbove() {
        LinearGaussianFixture f = new LinearGaussianFixture(3, -3, 12);
        ReverseModel tau = ReverseModel.create(f.params, "tau", 2, 3, new int[] {8}, Activation.TANH, Double.NaN, -10, new Rng(5), DType.F64);
        double[] g = gap(f, SemiImplicitBound.withReverseModel(f.q, tau, f.params, Rng.of(2, 1), N, 50));
        assertTrue(g[0] >= -4 * g[1], "gap " + g[0] + " ± " + g[1]);
    }

    @Test void theDiagonalLoopAgreesWithTheFamilysConditionalDensity() {
        LinearGaussianFixture f = new LinearGaussianFixture(2, -1, 13);   // σ shared by all z (1×d)
        agree(f.q, f.params);
        Params params = new Params();                                       // σ(z) per draw (n×d)
        Family netSigma = sivi.families.SemiImplicitNetSigma.create(params, "q", 3, 2, new int[] {5}, Activation.TANH, -0.5, -10, new Rng(4), DType.F64);
        agree(netSigma, params);
    }

    private static void agree(Family q, Params params) {
        Params.Bound p = params.bind();
        GradMode.noGrad(() -> {
            Family.Draw d0 = q.sample(p, Rng.of(3, 1), 20), dk = q.sample(p, Rng.of(3, 2), 30);
            assertArrayEquals(SemiImplicitBound.conditional(q, p, d0, dk), SemiImplicitBound.diagonal(d0, dk), 1e-10);
            return null;
        });
    }
}
