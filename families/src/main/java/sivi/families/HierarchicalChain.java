package sivi.families;

import java.util.ArrayList;
import java.util.List;
import sivi.autodiff.GradMode;
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
 * HSIVI's multi-layer semi-implicit family (Yu et al. 2023; docs/algorithms.md#hsivi): a Gaussian base
 * x_T ~ N(m·1, s²I) and T explicit conditional layers, for t = T..1,
 * <pre>  x_{t−1} = μ_t(x_t) + σ_t ⊙ ξ,   ξ ~ N(0, I), </pre>
 * μ_t an MLP d → h → h → d ({@code residual}: x_t + MLP(x_t)), σ_t = exp(max(log σ_t, logSigmaMin))
 * a learned 1×d vector (the clamp passes no gradient below the minimum). q(x_0) is the output;
 * every marginal q(x_t) is semi-implicit with the previous (upper) layers as mixing distribution.
 * Parameters of layer t live under "{prefix}.l{t}.": "mu.*" and "log_sigma".
 */
public final class HierarchicalChain implements Family {
    private final String prefix;
    private final int d, layers;
    private final double baseMean, baseStd, logSigmaMin;
    private final boolean residual;
    private final List<Mlp> means;   // index t−1 for layer t
    private final DType dtype;

    private HierarchicalChain(String prefix, int d, int layers, double baseMean, double baseStd, double logSigmaMin,
                              boolean residual, List<Mlp> means, DType dtype) {
        this.prefix = prefix; this.d = d; this.layers = layers; this.baseMean = baseMean; this.baseStd = baseStd;
        this.logSigmaMin = logSigmaMin; this.residual = residual; this.means = means; this.dtype = dtype;
    }

    public static HierarchicalChain create(Params params, String prefix, int d, int layers, int hidden, Activation act, boolean residual,
                                           double baseMean, double baseStd, double logSigmaInit, double logSigmaMin, Rng rng, DType dt) {
        if (layers < 1) throw new IllegalArgumentException("hsivi: layers must be >= 1, got " + layers);
        if (!(baseStd > 0)) throw new IllegalArgumentException("hsivi: base std must be > 0, got " + baseStd);
        List<Mlp> ms = new ArrayList<>();
        for (int t = 1; t <= layers; t++) {
            ms.add(Mlp.create(params, prefix + ".l" + t + ".mu", new int[] {d, hidden, hidden, d}, act, rng, dt));
            double[] ls = new double[d];
            java.util.Arrays.fill(ls, logSigmaInit);
            params.put(prefix + ".l" + t + ".log_sigma", Tensor.of(dt, ls, 1, d));
        }
        return new HierarchicalChain(prefix, d, layers, baseMean, baseStd, logSigmaMin, residual, List.copyOf(ms), dt);
    }

    @Override public int dim() { return d; }

    public int layers() { return layers; }

    public DType dtype() { return dtype; }

    /** The parameter-name prefix of layer t (1..T). */
    public String layerPrefix(int t) { return prefix + ".l" + t + "."; }

    /** n base draws x_T (constants). */
    public Var sampleBase(Rng rng, int n) {
        return constant(Tensor.of(dtype, scaleShift(rng.normal(dtype, n, d).toDoubleArray()), n, d));
    }

    private double[] scaleShift(double[] z) { for (int i = 0; i < z.length; i++) z[i] = baseMean + baseStd * z[i]; return z; }

    /** μ_t(x) (n×d). */
    public Var mean(Params.Bound p, int t, Var x) {
        Var m = means.get(t - 1).forward(p, x);
        return residual ? add(x, m) : m;
    }

    /** log σ_t clamped below (1×d). */
    public Var logSigma(Params.Bound p, int t) {
        Var ls = p.get(prefix + ".l" + t + ".log_sigma");
        return maximum(ls, Ops.scalar(ls.dtype(), logSigmaMin));
    }

    /** One reparameterised step of layer t from the inputs x_t: Draw(x_{t−1}, z = x_t, ξ, μ, σ). */
    public Draw layer(Params.Bound p, int t, Var xt, Rng rng) {
        int n = xt.dim(0);
        Var mu = mean(p, t, xt);
        Var sigma = exp(logSigma(p, t));
        Var xi = constant(rng.normal(dtype, n, d));
        return new Draw(add(mu, mul(sigma, xi)), xt, xi, mu, sigma);
    }

    /** n draws of x_t (t = T: the base) through the layers T..t+1, as constants (no graph). */
    public Var simulate(Params params, int t, Rng rng, int n) {
        return GradMode.noGrad(() -> {
            Params.Bound p = params.bind(name -> false);
            Var x = sampleBase(rng, n);
            for (int s = layers; s > t; s--) x = constant(layer(p, s, x, rng).x().value());
            return x;
        });
    }

    /** Reparameterised draws through the whole chain (differentiable in every bound layer). */
    @Override public Draw sample(Params.Bound p, Rng rng, int n) {
        Var x = sampleBase(rng, n);
        Draw last = null;
        for (int t = layers; t >= 1; t--) { last = layer(p, t, x, rng); x = last.x(); }
        return last;
    }
}
