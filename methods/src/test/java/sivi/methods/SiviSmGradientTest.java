package sivi.methods;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sivi.autodiff.Composite;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.SemiImplicitGaussian;
import sivi.fit.Fit;
import sivi.fit.Sivi;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Linear;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.targets.Banana;
import sivi.targets.Targets;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.*;

/**
 * SIVI-SM's φ-step gradient (Yu &amp; Zhang 2023, docs/algorithms.md#sivi-sm) against an independent composite
 * implementation: the score by autodiff of log p (twice differentiated, no score op), the critic
 * from primitive ops; the critic is frozen (constants), so only the family gets gradients.
 * Also: ksivi-ml with one layer is exactly ksivi.
 */
class SiviSmGradientTest {

    @ParameterizedTest(name = "lambda={0} psi={1}")
    @CsvSource({"1,0", "0.3,0", "1,0.8"})
    void phiGradientMatchesTheComposite(double lam, double psi) {
        Target t = new Banana();
        Params params = new Params();
        SemiImplicitGaussian q = SemiImplicitGaussian.create(params, "q", 2, 3, 16, -0.5, -6, new Rng(7), DType.F64);
        Mlp critic = Mlp.create(params, "f", new int[] {2, 24, 24, 2}, Activation.RELU, new Rng(8), DType.F64);
        int n = 30;
        Params.Bound p1 = params.bind(k -> k.startsWith("q.")), p2 = params.bind(k -> k.startsWith("q."));
        Var fused = SiviSm.phiLoss(q, critic, p1, t, new Rng(9), n, lam, psi);

        Family.Draw a = q.sample(p2, new Rng(9), n);
        Var sp = scale(KsiviEstimatorTest.autodiffScore(t, a.x()), lam);
        Var h = a.x();
        for (Linear l : critic.layers()) h = Composite.dense(l.act(), h, p2.get(l.name() + ".weight"), p2.get(l.name() + ".bias"));
        Var g = psi > 0 ? add(h, scale(sp, psi)) : h;
        Var diff = add(sp, div(a.xi(), a.sigma()));
        Var comp = scale(sum(mul(g, sub(scale(diff, 2), g))), 1.0 / n);

        assertEquals(comp.item(), fused.item(), 1e-10 * Math.abs(comp.item()));
        Map<String, Tensor> g1 = p1.gradients(fused), g2 = p2.gradients(comp);
        assertEquals(g2.keySet(), g1.keySet());
        assertTrue(g1.keySet().stream().allMatch(k -> k.startsWith("q.")), "the critic must be frozen in the φ-step");
        for (String name : g2.keySet()) {
            double[] x = g1.get(name).toDoubleArray(), y = g2.get(name).toDoubleArray();
            double diffMax = 0, norm = 0;
            for (int i = 0; i < x.length; i++) { diffMax = Math.max(diffMax, Math.abs(x[i] - y[i])); norm = Math.max(norm, Math.abs(y[i])); }
            assertTrue(norm > 0, name);
            // exact formulas in f64 differing only in rounding
            assertTrue(diffMax <= 1e-8 * norm, name + ": " + diffMax + " vs " + norm);
        }
    }

    @Test void oneLayerKsiviMlIsKsivi() {
        Fit a = Sivi.method("ksivi").preset("ksivi-banana").set("batch", 30).set("hidden", 8).iterations(5).seed(4).dtype(DType.F64).draws(10).fit(Targets.banana());
        Fit b = Sivi.method("ksivi-ml").preset("ksivi-ml-banana").set("batch", 30).set("hidden", 8).set("layers", 1).iterations(5).seed(4).dtype(DType.F64).draws(10)
                .fit(Targets.banana());
        assertArrayEquals(a.trace().objective(), b.trace().objective());
        assertArrayEquals(a.samples().toDoubleArray(), b.samples().toDoubleArray());
    }
}
