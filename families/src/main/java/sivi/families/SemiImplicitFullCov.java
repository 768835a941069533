package sivi.families;

import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * The SIVI 2018 Bayesian-logistic-regression family (Yin &amp; Zhou 2018 §4 / [code] SIVI_LR.py;
 * docs/algorithms.md#sivi): ψ = T_φ(ε), ε ~ N(0, I_dz), T_φ an MLP, and x | ψ ~ N(ψ, L Lᵀ) with a full
 * lower-triangular L learned, every lower entry initialised to {@code cholInit} (0.2 in the code).
 * L = tril(C) for the parameter C ("{prefix}.chol", d×d; entries above the diagonal unused); the
 * diagonal is not constrained, so densities use log|L_ii|. Densities are evaluated in whitened
 * coordinates: log N(x | ψ, LLᵀ) = log N(L⁻¹x | L⁻¹ψ, I) − Σ_i log|L_ii|, which lets the SIVI
 * surrogate use the fused identity-covariance mixture op.
 */
public final class SemiImplicitFullCov implements Family {
    private final String prefix;
    private final int d, dz;
    private final Mlp mean;
    private final DType dtype;
    private final Tensor lower, eye;

    private SemiImplicitFullCov(String prefix, int d, int dz, Mlp mean, DType dtype) {
        this.prefix = prefix; this.d = d; this.dz = dz; this.mean = mean; this.dtype = dtype;
        double[] lo = new double[d * d], id = new double[d * d];
        for (int i = 0; i < d; i++) { id[i * d + i] = 1; for (int j = 0; j <= i; j++) lo[i * d + j] = 1; }
        lower = Tensor.of(dtype, lo, d, d);
        eye = Tensor.of(dtype, id, d, d);
    }

    public static SemiImplicitFullCov create(Params params, String prefix, int d, int dz, int[] hidden, Activation act,
                                             double cholInit, Rng rng, DType dt) {
        if (d < 1 || dz < 1) throw new IllegalArgumentException("semi-implicit family needs d, dz >= 1 (got " + d + ", " + dz + ")");
        int[] sizes = Layers.sizes(dz, hidden, d);
        Mlp mean = Mlp.create(params, prefix + ".mu", sizes, act, rng, dt);
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j <= i; j++) c[i * d + j] = cholInit;
        params.add(prefix + ".chol", Tensor.of(dt, c, d, d));
        return new SemiImplicitFullCov(prefix, d, dz, mean, dt);
    }

    @Override public int dim() { return d; }
    public int mixingDim() { return dz; }
    public DType dtype() { return dtype; }

    public Var cholesky(Params.Bound p) { return mul(p.get(prefix + ".chol"), constant(lower)); }

    /** ψ = T_φ(ε) (n×d). */
    public Var mean(Params.Bound p, Var z) { return mean.forward(p, z); }

    /** Rows L⁻¹ v_n for v n×d. */
    public Var whiten(Params.Bound p, Var v) { return matmul(v, TriangularInverse.of(cholesky(p)), false, true); }

    /** Σ_i log|L_ii| (a scalar). */
    public Var logAbsDet(Params.Bound p) { return sum(log(abs(sum(mul(cholesky(p), constant(eye)), 1, false)))); }

    public Var sampleMixing(Rng rng, int n) { return constant(rng.normal(dtype, n, dz)); }

    /** x = ψ + L ξ. Draw.sigma is null (the covariance is not diagonal). */
    @Override public Draw sample(Params.Bound p, Rng rng, int n) {
        Var z = sampleMixing(rng, n);
        Var xi = constant(rng.normal(dtype, n, d));
        Var psi = mean(p, z);
        return new Draw(add(psi, matmul(xi, cholesky(p), false, true)), z, xi, psi, null);
    }

    @Override public Var conditionalLogDensity(Params.Bound p, Var x, Var z) {
        Var r = whiten(p, sub(x, mean(p, z)));
        return sub(addScalar(scale(sum(square(r), 1, false), -0.5), -0.5 * d * Gaussians.LOG_2PI), logAbsDet(p));
    }
}
