package sivi.methods;

import java.util.List;
import java.util.Map;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.optim.AdaGradMomentum;
import sivi.optim.LrSchedule;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Stein variational gradient descent (Liu &amp; Wang, NeurIPS 2016, Algorithm 1; docs/algorithms.md#svgd).
 * The particles X (n×d) are the parameter "particles"; each iteration computes
 * φ(x_i) = (1/n) Σ_j [k(x_j, x_i) s_p(x_j) + ∇_{x_j} k(x_j, x_i)], vectorised as
 * Φ = (K S + (diag(K 1) X − K X)/h²)/n with the RBF kernel k = exp(−D/(2h²)) and the median
 * bandwidth h² = ½·median(D)/log(n+1) recomputed every iteration (docs/algorithms.md#kernels), and passes g = −Φ to
 * {@link AdaGradMomentum} (the original code's step rule: H ← 0.9H + 0.1g², x ← x − ε g/(1e-6 + √H)).
 * The reported objective is −(1/n) Σ_i log p(x_i) (SVGD minimises no objective); extra "phi_norm".
 *
 * <p>Options: particles (n, default 100), init_std (particles start N(0, init_std² I), default 1),
 * lr (ε₀, default 0.05; the BNN code uses 1e-3), lr_gamma/lr_step/lr_period.
 * {@link Session#sample}: the particles themselves when n equals their number, otherwise rows
 * drawn uniformly with replacement from them (the empirical distribution).
 */
public final class Svgd implements Method {
    @Override public String name() { return "svgd"; }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("svgd",
            "Stein variational gradient descent (Liu & Wang 2016), RBF kernel, median bandwidth", options(), Svgd::new);

    private static List<OptionSpec> options() {
        return Estimators.concat(List.of(
                OptionSpec.integer("particles", 100, "number of particles n").min(2),
                OptionSpec.real("init_std", 1.0, "particles start N(0, init_std² I)").min(0),
                Estimators.lr("lr", 0.05, "master step size ε₀ of AdaGrad-momentum")),
                Estimators.SCHEDULE);
    }

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int n = o.getInt("particles", 100);
        double std = o.getDouble("init_std", 1);
        if (n < 2) throw new IllegalArgumentException("svgd: particles must be >= 2, got " + n);
        LrSchedule lr = Estimators.schedule(o, "lr", 0.05);
        TrainState state = new TrainState();
        double[] v = rng.normal(DType.F64, n, target.dim()).toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] *= std;
        state.params().add("particles", Tensor.of(dtype, v, n, target.dim()));
        state.addGroup("particles", List.of("particles"), AdaGradMomentum.reference(), lr, 0);
        return new SvgdSession(state, n);
    }

    /** Φ (n×d) for particles X and their scores S, as plain values. */
    static Tensor direction(Tensor particles, Tensor score) {
        return GradMode.noGrad(() -> {
            Var x = constant(particles), s = constant(score);
            int n = particles.dim(0);
            Var dist = sqDist(x, x);
            double h2 = 0.5 * median(dist).item() / Math.log(n + 1);
            Var k = kernelFromSqDist(StationaryKernel.RBF, dist, scalar(x.dtype(), Math.sqrt(h2)));
            Var repulsive = sub(mul(sum(k, 1, true), x), matmul(k, x));          // Σ_j k_ij (x_i − x_j)
            return scale(add(matmul(k, s), scale(repulsive, 1 / h2)), 1.0 / n).value();
        });
    }

    private record SvgdSession(TrainState state, int n) implements Session {
        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            Tensor x = state.params().get("particles");
            Tensor phi = direction(x, t.scoreValue(x));
            double objective = -GradMode.noGrad(() -> mean(t.logDensity(constant(x))).item());
            double norm = 0;
            double[] g = phi.toDoubleArray();
            for (int i = 0; i < g.length; i++) { norm += g[i] * g[i]; g[i] = -g[i]; }
            state.apply("particles", Map.of("particles", Tensor.of(x.dtype(), g, x.shape())), iteration);
            return new StepInfo(objective, Map.of("phi_norm", Math.sqrt(norm)));
        }

        @Override public Tensor sample(Rng rng, int count) {
            Tensor x = state.evaluationParams().get("particles");
            if (count == n) return x;
            int d = x.dim(1);
            double[] v = x.toDoubleArray(), out = new double[count * d];
            for (int i = 0; i < count; i++) System.arraycopy(v, rng.nextInt(n) * d, out, i * d, d);
            return Tensor.of(x.dtype(), out, count, d);
        }
    }
}
