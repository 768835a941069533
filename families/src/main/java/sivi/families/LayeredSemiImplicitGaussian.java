package sivi.families;

import java.util.ArrayList;
import java.util.List;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * A multi-layer (hierarchical) semi-implicit family of L Gaussian layers, our construction for
 * the multi-layer KSIVI of the journal extension (Cheng et al., arXiv 2601.12023; docs/algorithms.md#ksivi-ml
 * — the journal's exact parameterisation was not available):
 * <pre>
 *   x_0 = z ~ N(0, I_dz)
 *   x_l = μ_l(x_{l−1}) + σ_l ⊙ ξ_l,  ξ_l ~ N(0, I),  l = 1..L
 * </pre>
 * Layers 1..L−1 live in R^dz (the mixing space), layer L in R^d; each μ_l is the SIMINet mean net
 * Linear(in,h) → ReLU → Linear(h,h) → ReLU → Linear(h,out) and each σ_l = exp(½·max(logvar_l, min))
 * is a learned vector shared across its input, as in the one-layer SIMINet (docs/algorithms.md#simi). With L = 1 this
 * is exactly {@link SemiImplicitGaussian}.
 *
 * <p>Why this is still a semi-implicit family with an explicit last conditional: conditioned on
 * x_{L−1}, x = x_L is Gaussian, so ∇_x log q(x | x_{L−1}) = −ξ_L/σ_L, and the marginal of x_{L−1}
 * plays the role of the mixing distribution. A draw reports z = x_{L−1}, xi = ξ_L and
 * sigma = σ_L, so every objective written for the one-layer family (KSIVI's score-difference
 * form) applies unchanged. All layers are reparameterised and trained jointly.
 * Parameters: "{prefix}.mu{l}.{i}.weight|bias", "{prefix}.logvar{l}" for l = 1..L.
 */
public final class LayeredSemiImplicitGaussian implements Family {
    private final String prefix;
    private final int d, dz;
    private final double logvarMin;
    private final List<Mlp> means;
    private final DType dtype;

    private LayeredSemiImplicitGaussian(String prefix, int d, int dz, double logvarMin, List<Mlp> means, DType dtype) {
        this.prefix = prefix; this.d = d; this.dz = dz; this.logvarMin = logvarMin; this.means = means; this.dtype = dtype;
    }

    /**
     * Registers L layers (PyTorch default init). The last layer's log-variance starts at
     * {@code logvarInit}, the inner layers' at {@code innerLogvarInit}.
     */
    public static LayeredSemiImplicitGaussian create(Params params, String prefix, int d, int dz, int hidden, int layers,
                                                     double logvarInit, double innerLogvarInit, double logvarMin, Rng rng, DType dt) {
        if (d < 1 || dz < 1 || hidden < 1 || layers < 1)
            throw new IllegalArgumentException("layered semi-implicit family needs d, dz, hidden, layers >= 1 (got " + d + ", " + dz + ", " + hidden + ", " + layers + ")");
        List<Mlp> means = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            int out = l == layers ? d : dz;
            means.add(Mlp.create(params, prefix + ".mu" + l, new int[] {dz, hidden, hidden, out}, Activation.RELU, rng, dt));
            params.add(prefix + ".logvar" + l, Tensor.full(dt, l == layers ? logvarInit : innerLogvarInit, 1, out));
        }
        return new LayeredSemiImplicitGaussian(prefix, d, dz, logvarMin, List.copyOf(means), dt);
    }

    @Override public int dim() { return d; }
    public int layers() { return means.size(); }

    /** σ_l (1-based layer index) as a 1×out variable; the clamp passes no gradient below min. */
    public Var sigma(Params.Bound p, int layer) {
        Var lv = p.get(prefix + ".logvar" + layer);
        return exp(scale(maximum(lv, Ops.scalar(lv.dtype(), logvarMin)), 0.5));
    }

    @Override public Draw sample(Params.Bound p, Rng rng, int n) {
        Var h = constant(rng.normal(dtype, n, dz));
        int layers = means.size();
        for (int l = 1; l < layers; l++) {
            Var xi = constant(rng.normal(dtype, n, dz));
            h = add(means.get(l - 1).forward(p, h), mul(sigma(p, l), xi));
        }
        Var xi = constant(rng.normal(dtype, n, d));
        Var mu = means.get(layers - 1).forward(p, h);
        Var s = sigma(p, layers);
        return new Draw(add(mu, mul(s, xi)), h, xi, mu, s);
    }
}
