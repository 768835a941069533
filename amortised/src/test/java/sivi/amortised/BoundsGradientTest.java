package sivi.amortised;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import sivi.autodiff.GradCheck;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.nn.ParamsGradCheck;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.*;

/**
 * Finite-difference checks (float64, central differences along random directions in the space of
 * all parameters) of every training loss, with common random numbers: each evaluation redraws from
 * the same seed, so the Monte Carlo estimator is a fixed smooth function of the parameters.
 */
class BoundsGradientTest {
    static final int D = 6, LATENT = 2, NOISE = 3, HIDDEN = 5, B = 3;

    /** A binary batch [B, D]. */
    static Var images() {
        Rng r = new Rng(3);
        double[] v = new double[B * D];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble() < 0.4 ? 1 : 0;
        return constant(Tensor.of(DType.F64, v, B, D));
    }

    static Vae gaussianVae(Params p) {
        Rng r = new Rng(1);
        return new Vae(BernoulliDecoder.create(p, LATENT, new int[] {HIDDEN}, D, r, DType.F64), GaussianEncoder.create(p, D, new int[] {HIDDEN}, LATENT, r, DType.F64), null);
    }

    static Vae semiVae(Params p, boolean reverse) {
        Rng r = new Rng(2);
        return new Vae(BernoulliDecoder.create(p, LATENT, new int[] {HIDDEN}, D, r, DType.F64), SemiImplicitEncoder.create(p, D, HIDDEN, LATENT, NOISE, r, DType.F64),
                reverse ? ReverseModel.create(p, D, HIDDEN, LATENT, NOISE, r, DType.F64) : null);
    }

    static void check(String what, Params p, Function<Params.Bound, Var> loss) { ParamsGradCheck.check(what, p, loss, 7, 3); }

    @Test void elboGradientMatchesFiniteDifferences() {
        Params p = new Params();
        Vae vae = gaussianVae(p);
        check("elbo", p, b -> neg(mean(Bounds.averaged(Bounds.gaussian(vae, b, images(), 1, new Rng(11), false)))));
    }

    @Test void iwaeGradientMatchesFiniteDifferences() {
        Params p = new Params();
        Vae vae = gaussianVae(p);
        check("iwae k=4", p, b -> neg(mean(Bounds.importanceWeighted(Bounds.gaussian(vae, b, images(), 4, new Rng(12), false)))));
    }

    @Test void dregEncoderGradientHasTheExpectationOfTheIwaeGradient() {
        // paired over R draws: s_r = ⟨g_DReG,r − g_IWAE,r, v⟩ along a fixed direction v has mean 0
        // (Tucker et al. 2019); accept |mean| ≤ 4 standard errors (false alarm ≈ 6e-5)
        Params p = new Params();
        Vae vae = gaussianVae(p);
        Var x = images();
        Rng dir = new Rng(21);
        Map<String, Tensor> v = new java.util.LinkedHashMap<>();
        for (String k : p.names()) if (k.startsWith("enc.")) v.put(k, dir.normal(DType.F64, p.get(k).shape()));
        int reps = 400;
        double[] s = new double[reps];
        double sumAbsDreg = 0;
        for (int r = 0; r < reps; r++) {
            Params.Bound b1 = p.bind(k -> k.startsWith("enc.")), b2 = p.bind(k -> k.startsWith("enc."));
            Map<String, Tensor> dreg = b1.gradients(Bounds.dregLosses(Bounds.gaussian(vae, b1, x, 4, Rng.of(22, r), true))[1]);
            Map<String, Tensor> iwae = b2.gradients(neg(mean(Bounds.importanceWeighted(Bounds.gaussian(vae, b2, x, 4, Rng.of(22, r), false)))));
            for (String k : v.keySet()) {
                s[r] += GradCheck.dot(dreg.get(k), v.get(k)) - GradCheck.dot(iwae.get(k), v.get(k));
                sumAbsDreg += Math.abs(GradCheck.dot(dreg.get(k), v.get(k))) / reps;
            }
        }
        double m = java.util.Arrays.stream(s).average().orElseThrow(), sd = Math.sqrt(java.util.Arrays.stream(s).map(t -> (t - m) * (t - m)).sum() / (reps - 1));
        assertTrue(sumAbsDreg > 0, "the DReG gradient is not identically zero");
        assertTrue(Math.abs(m) <= 4 * sd / Math.sqrt(reps), "mean paired difference " + m + " vs standard error " + sd / Math.sqrt(reps));
    }

    @Test void siviSurrogateGradientMatchesFiniteDifferences() {
        Params p = new Params();
        Vae vae = semiVae(p, false);
        check("sivi k=4", p, b -> neg(mean(Bounds.averaged(Bounds.semiImplicit(vae, b, images(), 1, 4, false, new Rng(14))))));
    }

    @Test void iwhviGradientMatchesFiniteDifferencesIncludingTheReverseModel() {
        Params p = new Params();
        Vae vae = semiVae(p, true);
        check("iwhvi k=4", p, b -> neg(mean(Bounds.averaged(Bounds.semiImplicit(vae, b, images(), 1, 4, true, new Rng(15))))));
        check("doubly importance-weighted iwhvi m=3 k=4", p, b -> neg(mean(Bounds.importanceWeighted(Bounds.semiImplicit(vae, b, images(), 3, 4, true, new Rng(16))))));
    }

    @Test void linearGaussianDecoderGradientMatchesFiniteDifferences() {
        Params p = new Params();
        Rng r = new Rng(4);
        Vae vae = new Vae(LinearGaussianDecoder.create(p, LATENT, D, 0.7, r, DType.F64), GaussianEncoder.create(p, D, new int[] {HIDDEN}, LATENT, r, DType.F64), null);
        check("linear-Gaussian iwae k=3", p, b -> neg(mean(Bounds.importanceWeighted(Bounds.gaussian(vae, b, images(), 3, new Rng(17), false)))));
    }
}
