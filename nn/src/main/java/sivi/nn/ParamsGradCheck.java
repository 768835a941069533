package sivi.nn;

import java.util.Map;
import java.util.function.Function;
import sivi.autodiff.GradCheck;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * {@link GradCheck} for a loss of named parameters (a model's {@link Params}, float64): ⟨∇L, v⟩ by
 * autodiff against the central difference (L(θ + hv) − L(θ − hv)) / 2h along random directions v in
 * the space of all parameters, with GradCheck's tolerance (truncation plus roundoff). A loss with
 * Monte Carlo draws must redraw them from a fixed seed on every call (common random numbers).
 */
public final class ParamsGradCheck {
    private ParamsGradCheck() {}

    /** Throws {@link AssertionError} naming the direction when autodiff and finite differences disagree. */
    public static void check(String what, Params p, Function<Params.Bound, Var> loss, long seed, int directions) {
        Params.Bound bound = p.bind();
        Map<String, Tensor> g = bound.gradients(loss.apply(bound));
        if (!g.keySet().equals(new java.util.LinkedHashSet<>(p.names()))) throw new AssertionError(what + ": gradients for " + g.keySet() + ", parameters " + p.names());
        Rng rng = new Rng(seed);
        for (int dir = 0; dir < directions; dir++) {
            Params plus = p.copy(), minus = p.copy();
            double auto = 0;
            for (String k : p.names()) {
                Tensor v = rng.normal(DType.F64, p.get(k).shape());
                auto += GradCheck.dot(g.get(k), v);
                plus.put(k, GradCheck.axpy(p.get(k), v, GradCheck.H));
                minus.put(k, GradCheck.axpy(p.get(k), v, -GradCheck.H));
            }
            double fp = GradMode.noGrad(() -> loss.apply(plus.bind()).item()), fm = GradMode.noGrad(() -> loss.apply(minus.bind()).item());
            double fd = (fp - fm) / (2 * GradCheck.H);
            double tol = GradCheck.RTOL * Math.max(Math.abs(auto), Math.abs(fd)) + 1e3 * Math.ulp(1.0) * (Math.abs(fp) + Math.abs(fm)) / (2 * GradCheck.H);
            if (!(Math.abs(auto - fd) <= tol))
                throw new AssertionError(what + ": direction " + dir + ": autodiff <grad L, v> = " + auto + ", central difference = " + fd + " (|diff| " + Math.abs(auto - fd) + " > tol " + tol + ")");
        }
    }
}
