package sivi.repro;

import sivi.autodiff.Var;
import sivi.families.SemiImplicit;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * The product of standard Laplace distributions as a parameter-free semi-implicit family
 * (Andrews &amp; Mallows 1974 scale mixture; IWHVI §6.1): z_d | ψ_d ~ N(0, ψ_d), ψ_d ~ Exp(rate ½).
 * The mixing variable is u = log ψ, with density q(u) = ½ e^u exp(−e^u/2), so
 * log q(u) = u − ln 2 − e^u/2, and the conditional is N(0, diag e^u) (log σ = u/2).
 * Exact marginal: log q(z) = Σ_d (−|z_d| − ln 2).
 */
final class HierarchicalLaplace implements SemiImplicit {
    private final int d;
    private final DType dtype;

    HierarchicalLaplace(int d, DType dtype) { this.d = d; this.dtype = dtype; }

    @Override public int dim() { return d; }
    @Override public int mixingDim() { return d; }
    @Override public DType dtype() { return dtype; }

    /** u = log ψ with ψ = −2 log(1 − U) ~ Exp(rate ½). */
    @Override public Var sampleMixing(Rng rng, int n) {
        double[] u = new double[n * d];
        for (int i = 0; i < u.length; i++) u[i] = Math.log(-2 * Math.log(1 - rng.nextDouble()));
        return constant(Tensor.of(dtype, u, n, d));
    }

    @Override public Var mixingLogDensity(Var u) { return sum(addScalar(sub(u, scale(exp(u), 0.5)), -Math.log(2)), 1, false); }

    @Override public Conditional conditional(Params.Bound p, Var u) {
        return new Conditional(constant(Tensor.zeros(u.dtype(), u.dim(0), d)), scale(u, 0.5));
    }

    @Override public boolean hasExactLogDensity() { return true; }

    @Override public Var logDensity(Params.Bound p, Var z) { return addScalar(neg(sum(abs(z), 1, false)), -d * Math.log(2)); }
}
