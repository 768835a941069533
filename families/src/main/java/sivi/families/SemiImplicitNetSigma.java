package sivi.families;

import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.tensor.DType;

import static sivi.autodiff.Ops.*;

/**
 * Semi-implicit family whose conditional mean AND log-scale are network outputs of the mixing
 * draw: z ~ N(0, I_dz), (μ(z), log σ(z)) = MLP(z), x = μ(z) + σ(z) ⊙ ξ. This is the family of UIVI
 * (Titsias &amp; Ruiz 2019, §2, x = h_φ(u; ε) = μ_φ(ε) + σ_φ(ε) ⊙ u) and of IWHVI's hierarchical
 * encoder (Sobolev &amp; Vetrov 2019, §3). log σ is clamped below at {@code logSigmaMin}
 * (docs/algorithms.md#simi). Parameters: "{prefix}.net.{i}.weight|bias"; the output layer's
 * log-σ bias starts at {@code logSigmaInit}.
 */
public final class SemiImplicitNetSigma implements SemiImplicit {
    private final int d, dz;
    private final double logSigmaMin;
    private final Mlp net;
    private final DType dtype;

    private SemiImplicitNetSigma(int d, int dz, double logSigmaMin, Mlp net, DType dtype) {
        this.d = d; this.dz = dz; this.logSigmaMin = logSigmaMin; this.net = net; this.dtype = dtype;
    }

    public static SemiImplicitNetSigma create(Params params, String prefix, int d, int dz, int[] hidden, Activation act,
                                              double logSigmaInit, double logSigmaMin, Rng rng, DType dt) {
        if (d < 1 || dz < 1) throw new IllegalArgumentException("semi-implicit family needs d, dz >= 1 (got " + d + ", " + dz + ")");
        int[] sizes = Layers.sizes(dz, hidden, 2 * d);
        Mlp net = Mlp.create(params, prefix + ".net", sizes, act, rng, dt);
        String bias = prefix + ".net." + (sizes.length - 2) + ".bias";
        double[] b = params.get(bias).toDoubleArray();
        for (int j = d; j < 2 * d; j++) b[j] += logSigmaInit;
        params.put(bias, sivi.tensor.Tensor.of(dt, b, 2 * d));
        return new SemiImplicitNetSigma(d, dz, logSigmaMin, net, dt);
    }

    @Override public int dim() { return d; }
    @Override public int mixingDim() { return dz; }
    @Override public DType dtype() { return dtype; }

    @Override public Conditional conditional(Params.Bound p, Var z) {
        Var out = net.forward(p, z);
        Var ls = slice(out, 1, d, 2 * d);
        return new Conditional(slice(out, 1, 0, d), maximum(ls, Ops.scalar(ls.dtype(), logSigmaMin)));
    }
}
