package sivi.methods;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.families.ReverseModel;
import sivi.families.SemiImplicit;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Sobolev &amp; Vetrov 2019, Theorem 1: U_K(x) ≥ log q(x) in expectation, decreasing in K, with
 * equality for every sample when τ is the exact reverse conditional q(ψ | x). Family: linear mixing
 * net with a scalar mixing variable, so log q(x) and q(ψ | x) = N(v·Σ_j W_j (x_j − b_j)/σ_j², v),
 * v = 1/(1 + Σ_j W_j²/σ_j²), are exact.
 */
class IwhviBoundTest {
    static final int[] KS = {0, 1, 10, 100};

    /** τ with hidden = {} is affine in x: set it to the exact posterior. */
    static ReverseModel exactTau(LinearGaussianFixture f, Params tauParams) {
        ReverseModel tau = ReverseModel.create(tauParams, "tau", 2, 1, new int[0], Activation.IDENTITY, Double.NaN, -20, new Rng(1), DType.F64);
        double prec = 1, shift = 0;
        for (int j = 0; j < 2; j++) { prec += f.w[j] * f.w[j] / f.sigma2[j]; shift += f.w[j] * f.b[j] / f.sigma2[j]; }
        double v = 1 / prec;
        tauParams.put("tau.net.0.weight", Tensor.of(DType.F64, new double[] {v * f.w[0] / f.sigma2[0], 0, v * f.w[1] / f.sigma2[1], 0}, 2, 2));
        tauParams.put("tau.net.0.bias", Tensor.of(DType.F64, new double[] {-v * shift, 0.5 * Math.log(v)}, 2));
        return tau;
    }

    /** Per-sample gaps U_K(x_n) − log q(x_n) for n fresh draws (lower: the IWAE-style lower bound instead). */
    static double[] gaps(LinearGaussianFixture f, Function<Var, SemiImplicit.Conditional> tau, int k, int n, Rng rng) { return gaps(f, tau, k, n, rng, false); }

    static double[] gaps(LinearGaussianFixture f, Function<Var, SemiImplicit.Conditional> tau, int k, int n, Rng rng, boolean lower) {
        return GradMode.noGrad(() -> {
            var d = f.q.sample(f.params.bind(), rng, n);
            Var[] b = Iwhvi.upperBound(f.q, f.params.bind(), tau, null, d.x(), d.z(), k, rng);
            double[] u = (lower ? Iwhvi.lowerBound(b[1]) : b[0]).value().toDoubleArray();
            double[] x = d.x().value().toDoubleArray();
            for (int i = 0; i < n; i++) u[i] -= f.logQ(x[2 * i], x[2 * i + 1]);
            return u;
        });
    }

    @Test void exactReverseModelMakesTheBoundExactForEverySample() {
        LinearGaussianFixture f = new LinearGaussianFixture(1, 2 * Math.log(0.3), 5);
        Params tp = new Params();
        ReverseModel tau = exactTau(f, tp);
        for (int k : KS)
            for (double g : gaps(f, x -> tau.conditional(tp.bind(), x), k, 50, Rng.of(3, k)))
                assertEquals(0, g, 1e-9, "K = " + k);   // every β_k equals log q(x) up to rounding (f64)
    }

    @Test void boundIsAboveLogQAndDecreasesInK() {
        LinearGaussianFixture f = new LinearGaussianFixture(1, 2 * Math.log(0.3), 5);
        Params tp = new Params();
        ReverseModel random = ReverseModel.create(tp, "tau", 2, 1, new int[] {8}, Activation.TANH, Double.NaN, -10, new Rng(9), DType.F64);
        // τ = a random network (IWHVI) and τ = the prior (SIVI): both must give valid, K-decreasing bounds.
        for (String which : new String[] {"random", "prior"}) {
            Function<Var, SemiImplicit.Conditional> tau = which.equals("prior") ? null : x -> random.conditional(tp.bind(), x);
            double[] mean = new double[KS.length], se = new double[KS.length];
            for (int i = 0; i < KS.length; i++) {
                double[] g = gaps(f, tau, KS[i], 4000, Rng.of(17, i));
                double s = 0, s2 = 0;
                for (double v : g) { s += v; s2 += v * v; }
                mean[i] = s / g.length;
                se[i] = Math.sqrt((s2 / g.length - mean[i] * mean[i]) / g.length);
                // E[U_K − log q] ≥ 0; one-sided 3.5 SE (false alarm ≈ 2·10⁻⁴)
                assertTrue(mean[i] >= -3.5 * se[i], which + " K=" + KS[i] + ": E[U − log q] = " + mean[i] + " ± " + se[i]);
            }
            for (int i = 0; i + 1 < KS.length; i++)
                assertTrue(mean[i + 1] <= mean[i] + 3.5 * Math.hypot(se[i], se[i + 1]), which + ": not decreasing at K=" + KS[i + 1]);
            // the K = 0 gap is KL(q(ψ|x) ‖ τ(ψ|x)) averaged over x: clearly positive for these τ
            assertTrue(mean[0] > 5 * se[0], which + ": no gap at K = 0");
            assertTrue(mean[KS.length - 1] < mean[0], which + ": K = 100 not tighter than K = 0");
        }
    }

    /** The IWAE-style lower bound sits below log q in expectation and rises with K. */
    @Test void lowerBoundIsBelowLogQAndIncreasesInK() {
        LinearGaussianFixture f = new LinearGaussianFixture(1, 2 * Math.log(0.3), 5);
        Params tp = new Params();
        ReverseModel random = ReverseModel.create(tp, "tau", 2, 1, new int[] {8}, Activation.TANH, Double.NaN, -10, new Rng(9), DType.F64);
        int[] ks = {1, 10, 100};
        double[] mean = new double[ks.length], se = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            double[] g = gaps(f, x -> random.conditional(tp.bind(), x), ks[i], 4000, Rng.of(19, i), true);
            double s = 0, s2 = 0;
            for (double v : g) { s += v; s2 += v * v; }
            mean[i] = s / g.length;
            se[i] = Math.sqrt((s2 / g.length - mean[i] * mean[i]) / g.length);
            assertTrue(mean[i] <= 3.5 * se[i], "K=" + ks[i] + ": E[L − log q] = " + mean[i] + " ± " + se[i]);
        }
        for (int i = 0; i + 1 < ks.length; i++)
            assertTrue(mean[i + 1] >= mean[i] - 3.5 * Math.hypot(se[i], se[i + 1]), "not increasing at K=" + ks[i + 1]);
        assertTrue(mean[0] < -5 * se[0], "no gap at K = 1");
    }
}
