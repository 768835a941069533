package sivi.families;

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
 * The semi-implicit family of the SIVI-SM / KSIVI / KPG reference code ("SIMINet"):
 * z ~ N(0, I_dz), μ_φ(z) = Linear(dz,h) → ReLU → Linear(h,h) → ReLU → Linear(h,d), and
 * x = μ_φ(z) + σ ⊙ ξ with ξ ~ N(0, I_d), σ = exp(½·max(logvar, logvarMin)) one learned vector
 * shared across z. The conditional score is ∇_x log q(x | z) = −ξ/σ.
 * Parameters: "{prefix}.mu.{i}.weight|bias" and "{prefix}.logvar".
 * <p>As implemented: docs/algorithms.md#simi.
 */
public final class SemiImplicitGaussian implements SemiImplicit {
    private final String prefix;
    private final int d, dz;
    private final double logvarMin;
    private final Mlp mean;
    private final DType dtype;

    private SemiImplicitGaussian(String prefix, int d, int dz, double logvarMin, Mlp mean, DType dtype) {
        this.prefix = prefix; this.d = d; this.dz = dz; this.logvarMin = logvarMin; this.mean = mean; this.dtype = dtype;
    }

    /** Registers freshly initialised parameters (PyTorch default init, logvar = logvarInit). */
    public static SemiImplicitGaussian create(Params params, String prefix, int d, int dz, int hidden,
                                              double logvarInit, double logvarMin, Rng rng, DType dt) {
        if (d < 1 || dz < 1 || hidden < 1) throw new IllegalArgumentException("semi-implicit family needs d, dz, hidden >= 1 (got " + d + ", " + dz + ", " + hidden + ")");
        Mlp mean = Mlp.create(params, prefix + ".mu", new int[] {dz, hidden, hidden, d}, Activation.RELU, rng, dt);
        params.add(prefix + ".logvar", Tensor.full(dt, logvarInit, 1, d));
        return new SemiImplicitGaussian(prefix, d, dz, logvarMin, mean, dt);
    }

    /**
     * The same family with a mean network of any depth: sizes dz → hidden… → d with activation
     * {@code act} (hidden empty: μ(z) = zW + b is linear, so q is exactly Gaussian). SIVI 2018's
     * toys use hidden = {40, 60, 40} with tanh (docs/algorithms.md#sivi).
     */
    public static SemiImplicitGaussian create(Params params, String prefix, int d, int dz, int[] hidden, Activation act,
                                              double logvarInit, double logvarMin, Rng rng, DType dt) {
        if (d < 1 || dz < 1) throw new IllegalArgumentException("semi-implicit family needs d, dz >= 1 (got " + d + ", " + dz + ")");
        int[] sizes = Layers.sizes(dz, hidden, d);
        Mlp mean = Mlp.create(params, prefix + ".mu", sizes, act, rng, dt);
        params.add(prefix + ".logvar", Tensor.full(dt, logvarInit, 1, d));
        return new SemiImplicitGaussian(prefix, d, dz, logvarMin, mean, dt);
    }

    @Override public int dim() { return d; }
    @Override public int mixingDim() { return dz; }
    @Override public DType dtype() { return dtype; }

    /** μ_φ(z) and the shared log σ = ½·clamp(logvar, min) (1×d). */
    @Override public Conditional conditional(Params.Bound p, Var z) {
        Var lv = p.get(prefix + ".logvar");
        return new Conditional(mean(p, z), scale(maximum(lv, Ops.scalar(lv.dtype(), logvarMin)), 0.5));
    }

    /** σ = exp(½·clamp(logvar, min)) as a 1×d variable (the clamp passes no gradient below min, as torch.clamp). */
    public Var sigma(Params.Bound p) {
        Var lv = p.get(prefix + ".logvar");
        Var clamped = maximum(lv, Ops.scalar(lv.dtype(), logvarMin));
        return exp(scale(clamped, 0.5));
    }

    /** μ_φ(z) for given mixing draws (n×dz). */
    public Var mean(Params.Bound p, Var z) { return mean.forward(p, z); }

    @Override public Draw sample(Params.Bound p, Rng rng, int n) {
        Var z = constant(rng.normal(dtype, n, dz));
        Var xi = constant(rng.normal(dtype, n, d));
        Var mu = mean(p, z);
        Var s = sigma(p);
        return new Draw(add(mu, mul(s, xi)), z, xi, mu, s);
    }

    /** ∇_x log q(x | z) = −ξ/σ for a draw. */
    public static Var conditionalScore(Draw draw) { return neg(div(draw.xi(), draw.sigma())); }
}
