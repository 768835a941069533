package sivi.methods;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import sivi.autodiff.Var;
import sivi.families.ReverseModel;
import sivi.families.SemiImplicitNetSigma;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.targets.Targets;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.*;

/**
 * Gradient checks of the Monte Carlo losses with common random numbers (STYLE.md): with the RNG
 * re-seeded for every evaluation the loss is a deterministic smooth function of θ (tanh nets), so
 * the autodiff directional derivative must match central differences (h = 1e-5, float64; the
 * truncation error is O(h²·f''') ≈ 1e-9 relative, we allow 1e-5 relative).
 */
class GradientCheckTest {
    static void check(Params params, Function<Params.Bound, Var> loss) { check(params, name -> true, loss); }

    /** Only the parameters that {@code leaves} selects are bound (and perturbed); the others are constants. */
    static void check(Params params, Predicate<String> leaves, Function<Params.Bound, Var> loss) {
        Params.Bound p = params.bind(leaves);
        assertDirectionalDerivative(params, leaves, p.gradients(loss.apply(p)), q -> loss.apply(q.bind(leaves)).item(), "directional derivative");
    }

    /**
     * ⟨g, u⟩ for a random direction u over the parameters {@code which} selects, against the central
     * difference (f(θ + hu) − f(θ − hu))/2h, h = 1e-5, relative 1e-5. A parameter missing from
     * {@code grads} counts as gradient 0 (so the difference also checks that f does not depend on it).
     */
    static void assertDirectionalDerivative(Params params, Predicate<String> which, Map<String, Tensor> grads, ToDoubleFunction<Params> f, String what) {
        Rng dir = new Rng(99);
        Params plus = params.copy(), minus = params.copy();
        double h = 1e-5, analytic = 0;
        int perturbed = 0;
        for (String name : params.names()) {
            if (!which.test(name)) continue;
            double[] v = params.get(name).toDoubleArray(), a = v.clone(), b = v.clone();
            double[] gg = grads.containsKey(name) ? grads.get(name).toDoubleArray() : new double[v.length];
            for (int i = 0; i < v.length; i++) {
                double u = dir.nextGaussian();
                a[i] += h * u; b[i] -= h * u; analytic += u * gg[i];
            }
            plus.put(name, Tensor.of(DType.F64, a, params.get(name).shape()));
            minus.put(name, Tensor.of(DType.F64, b, params.get(name).shape()));
            perturbed++;
        }
        assertTrue(perturbed > 0, what + ": no parameter selected");
        double numeric = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
        assertEquals(numeric, analytic, 1e-5 * Math.max(1, Math.abs(numeric)), what);
    }

    @Test void siviSurrogateGradientMatchesFiniteDifferences() {
        Params params = new Params();
        var q = SemiImplicitNetSigma.create(params, "q", 2, 3, new int[] {6}, Activation.TANH, -1, -10, new Rng(1), DType.F64);
        Target t = Targets.banana();
        check(params, p -> SiviMethod.loss(q, p, t, new Rng(5), 16, 7));
    }

    @Test void fullCovarianceSiviGradientMatchesFiniteDifferences() {
        Params params = new Params();
        var q = sivi.families.SemiImplicitFullCov.create(params, "q", 2, 3, new int[] {6}, Activation.TANH, 0.2, new Rng(1), DType.F64);
        Target t = Targets.banana();
        check(params, p -> SiviMethod.loss(q, p, t, new Rng(5), 16, 7));
    }

    /** Through the triangular-inverse op: the full-rank log-density's gradient in (μ, C). */
    @Test void fullRankLogDensityGradientMatchesFiniteDifferences() {
        Params params = new Params();
        var q = sivi.families.FullRankGaussian.create(params, "q", 3, 0, DType.F64);
        double[] c = new Rng(4).normal(DType.F64, 3, 3).toDoubleArray();
        params.put("q.chol", Tensor.of(DType.F64, c, 3, 3));
        Var x = Var.constant(new Rng(5).normal(DType.F64, 6, 3));
        check(params, p -> mean(q.logDensity(p, x)));
    }

    /**
     * Second order through the triangular inverse (its backward is written with ops): vᵀ H u of
     * the full-rank log-density from reverse-over-reverse autodiff against central differences of
     * the first-order gradient (h = 1e-5; tolerance 1e-5 relative as above).
     */
    @Test void fullRankLogDensitySecondOrderMatchesFiniteDifferences() {
        Params params = new Params();
        var q = sivi.families.FullRankGaussian.create(params, "q", 3, 0, DType.F64);
        params.put("q.chol", Tensor.of(DType.F64, new Rng(4).normal(DType.F64, 3, 3).toDoubleArray(), 3, 3));
        Var x = Var.constant(new Rng(5).normal(DType.F64, 6, 3));
        String[] names = {"q.mu", "q.chol"};
        Tensor[] u = {new Rng(6).normal(DType.F64, 1, 3), new Rng(7).normal(DType.F64, 3, 3)};
        Tensor[] v = {new Rng(8).normal(DType.F64, 1, 3), new Rng(9).normal(DType.F64, 3, 3)};
        // analytic: ∇_θ <∇_θ f, u>, then dotted with v
        Params.Bound p = params.bind();
        Var[] leaves = {p.get(names[0]), p.get(names[1])};
        Var[] g = sivi.autodiff.Autodiff.grad(mean(q.logDensity(p, x)), leaves, null, true);
        Var inner = add(sum(mul(g[0], Var.constant(u[0]))), sum(mul(g[1], Var.constant(u[1]))));
        Var[] h = sivi.autodiff.Autodiff.grad(inner, leaves, null, false);
        double analytic = 0;
        for (int i = 0; i < 2; i++) {
            double[] hv = h[i].value().toDoubleArray(), vv = v[i].toDoubleArray();
            for (int j = 0; j < hv.length; j++) analytic += hv[j] * vv[j];
        }
        double eps = 1e-5;
        double[] side = new double[2];
        for (int s = 0; s < 2; s++) {
            Params shifted = params.copy();
            for (int i = 0; i < 2; i++) {
                double[] a = params.get(names[i]).toDoubleArray(), vv = v[i].toDoubleArray();
                for (int j = 0; j < a.length; j++) a[j] += (s == 0 ? eps : -eps) * vv[j];
                shifted.put(names[i], Tensor.of(DType.F64, a, params.get(names[i]).shape()));
            }
            Params.Bound ps = shifted.bind();
            Map<String, Tensor> gs = ps.gradients(mean(q.logDensity(ps, x)));
            for (int i = 0; i < 2; i++) {
                double[] gi = gs.get(names[i]).toDoubleArray(), ui = u[i].toDoubleArray();
                for (int j = 0; j < gi.length; j++) side[s] += gi[j] * ui[j];
            }
        }
        double numeric = (side[0] - side[1]) / (2 * eps);
        assertEquals(numeric, analytic, 1e-5 * Math.max(1, Math.abs(numeric)), "vᵀHu");
    }

    /**
     * The whole KSIVI step on the banana (SIMINet family, vanilla estimator, fixed bandwidth so the
     * median's selected entry cannot switch): reparameterised x, the banana's score op (backward =
     * analytic HVP), ξ/σ into σ and the kernel. Guards the chain the banana fits depend on
     * (docs/score-based-methods.md, "Why the banana fits are under-dispersed").
     */
    @Test void ksiviBananaLossGradientMatchesFiniteDifferences() {
        // Laplace: the seeds give no pair of the two batches within the step of a tie |x_k − x'_k| = 0
        for (var kernel : new sivi.kernels.StationaryKernel[] {sivi.kernels.StationaryKernel.RBF, sivi.kernels.StationaryKernel.LAPLACE})
            for (double h : new double[] {0.5, 2.0}) {
                Params params = new Params();
                var q = sivi.families.SemiImplicitGaussian.create(params, "q", 2, 3, new int[] {6}, Activation.TANH, Math.log(0.25), -20, new Rng(1), DType.F64);
                Target t = Targets.banana();
                var est = new Ksivi.Estimator(kernel, false, true, false, h);
                check(params, p -> Ksivi.loss(q, p, t, new Rng(5), 16, est, 1));
            }
    }

    @Test void iwhviBoundGradientMatchesFiniteDifferences() {
        Params params = new Params();
        var q = SemiImplicitNetSigma.create(params, "q", 2, 3, new int[] {6}, Activation.TANH, -1, -10, new Rng(1), DType.F64);
        ReverseModel tau = ReverseModel.create(params, "tau", 2, 3, new int[] {5}, Activation.TANH, -1.0, -10, new Rng(2), DType.F64);
        Target t = Targets.banana();
        check(params, p -> {
            Rng rng = new Rng(6);
            var d = q.sample(p, rng, 12);
            Var u = Iwhvi.upperBound(q, p, x -> tau.conditional(p, x), null, d.x(), d.z(), 4, rng)[0];
            return mean(sub(Estimators.logP(t, d.x()), u));
        });
    }
}
