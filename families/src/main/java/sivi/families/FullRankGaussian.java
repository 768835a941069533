package sivi.families;

import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Full-rank Gaussian q(x) = N(μ, L Lᵀ) (full-rank ADVI, Kucukelbir et al. 2017 §2.4; docs/algorithms.md#fullrank
 *). L is lower triangular with a positive diagonal: L = tril₋₁(C) + diag(exp(diag C)) for an
 * unconstrained d×d parameter C (entries above the diagonal are unused and get zero gradient).
 * Reparameterised x = μ + L ξ; entropy H = Σ_i C_ii + (d/2)(1 + log 2π).
 * Parameters "{prefix}.mu" (1×d) and "{prefix}.chol" (d×d, diagonal initialised to logSigmaInit).
 */
public final class FullRankGaussian implements Family {
    private final String prefix;
    private final int d;
    private final DType dtype;
    private final Tensor strictLower, eye;

    private FullRankGaussian(String prefix, int d, DType dtype) {
        this.prefix = prefix; this.d = d; this.dtype = dtype;
        double[] lo = new double[d * d], id = new double[d * d];
        for (int i = 0; i < d; i++) {
            id[i * d + i] = 1;
            for (int j = 0; j < i; j++) lo[i * d + j] = 1;
        }
        strictLower = Tensor.of(dtype, lo, d, d);
        eye = Tensor.of(dtype, id, d, d);
    }

    public static FullRankGaussian create(Params params, String prefix, int d, double logSigmaInit, DType dt) {
        if (d < 1) throw new IllegalArgumentException("full-rank family needs d >= 1, got " + d);
        params.add(prefix + ".mu", Tensor.zeros(dt, 1, d));
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) c[i * d + i] = logSigmaInit;
        params.add(prefix + ".chol", Tensor.of(dt, c, d, d));
        return new FullRankGaussian(prefix, d, dt);
    }

    @Override public int dim() { return d; }

    public Var mu(Params.Bound p) { return p.get(prefix + ".mu"); }

    /** The Cholesky factor L (d×d, lower triangular, positive diagonal). */
    public Var cholesky(Params.Bound p) {
        Var c = p.get(prefix + ".chol");
        return add(mul(c, constant(strictLower)), mul(exp(c), constant(eye)));
    }

    /** x = μ + ξ Lᵀ row-wise. Draw.z and Draw.sigma are null (no mixing; the covariance is not diagonal). */
    @Override public Draw sample(Params.Bound p, Rng rng, int n) {
        Var xi = constant(rng.normal(dtype, n, d));
        return new Draw(add(mu(p), matmul(xi, cholesky(p), false, true)), null, xi, mu(p), null);
    }

    /** Σ_i log L_ii + (d/2)(1 + log 2π) (a scalar). */
    public Var entropy(Params.Bound p) {
        return addScalar(sum(mul(p.get(prefix + ".chol"), constant(eye))), 0.5 * d * (1 + Gaussians.LOG_2PI));
    }

    @Override public boolean hasExactLogDensity() { return true; }

    /** log N(x | μ, LLᵀ) = −½‖L⁻¹(x − μ)‖² − Σ log L_ii − (d/2) log 2π; differentiable in x, μ and L. */
    @Override public Var logDensity(Params.Bound p, Var x) {
        Var white = matmul(sub(x, mu(p)), TriangularInverse.of(cholesky(p)), false, true);   // rows L⁻¹(x − μ)
        Var logDet = sum(mul(p.get(prefix + ".chol"), constant(eye)));
        return sub(addScalar(scale(sum(square(white), 1, false), -0.5), -0.5 * d * Gaussians.LOG_2PI), logDet);
    }

    @Override public Var conditionalLogDensity(Params.Bound p, Var x, Var z) { return logDensity(p, x); }
}
