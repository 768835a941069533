package sivi.families;

import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * The mean-field Gaussian of ADVI (Kucukelbir et al. 2017; docs/algorithms.md#advi):
 * q(x) = N(μ, diag σ²), σ = exp(ω), reparameterised as x = μ + σ ⊙ ξ.
 * Parameters "{prefix}.mu" (1×d) and "{prefix}.log_sigma" (1×d). Entropy
 * H = Σ_i ω_i + (d/2)(1 + log 2π).
 */
public final class MeanFieldGaussian implements Family {
    private final String prefix;
    private final int d;
    private final DType dtype;

    private MeanFieldGaussian(String prefix, int d, DType dtype) { this.prefix = prefix; this.d = d; this.dtype = dtype; }

    public static MeanFieldGaussian create(Params params, String prefix, int d, double logSigmaInit, DType dt) {
        if (d < 1) throw new IllegalArgumentException("mean-field family needs d >= 1, got " + d);
        params.add(prefix + ".mu", Tensor.zeros(dt, 1, d));
        params.add(prefix + ".log_sigma", Tensor.full(dt, logSigmaInit, 1, d));
        return new MeanFieldGaussian(prefix, d, dt);
    }

    @Override public int dim() { return d; }

    public Var mu(Params.Bound p) { return p.get(prefix + ".mu"); }

    public Var logSigma(Params.Bound p) { return p.get(prefix + ".log_sigma"); }

    /** Draw.z is null: there is no mixing variable. */
    @Override public Draw sample(Params.Bound p, Rng rng, int n) {
        Var xi = constant(rng.normal(dtype, n, d));
        Var s = exp(logSigma(p));
        return new Draw(add(mu(p), mul(s, xi)), null, xi, mu(p), s);
    }

    /** The analytic entropy (a scalar). */
    public Var entropy(Params.Bound p) { return addScalar(sum(logSigma(p)), 0.5 * d * (1 + Gaussians.LOG_2PI)); }

    @Override public Var conditionalLogDensity(Params.Bound p, Var x, Var z) { return logDensity(p, x); }

    @Override public boolean hasExactLogDensity() { return true; }

    @Override public Var logDensity(Params.Bound p, Var x) { return Gaussians.diagLogPdf(x, mu(p), logSigma(p)); }
}
