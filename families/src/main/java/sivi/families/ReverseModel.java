package sivi.families;

import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.tensor.DType;

import static sivi.autodiff.Ops.*;

/**
 * The auxiliary reverse model τ_η(ψ | x) of IWHVI (Sobolev &amp; Vetrov 2019, §3, eq. 5): a diagonal
 * Gaussian whose mean and log-scale are MLP outputs of x. With {@code gated}, a third output head
 * g(x) mixes the network towards the N(0, I) prior of the mixing variable:
 * s = sigmoid(g(x) + gateBias), μ = s ⊙ μ_net, log σ = s ⊙ logσ_net — with a negative gate bias τ
 * starts at the prior (the SIVI bound) and moves away as training finds it useful (the reference
 * code's {@code tau_gate_bias}, docs/algorithms.md#iwhvi). Parameters "{prefix}.net.{i}.weight|bias".
 */
public final class ReverseModel {
    private final int xDim, psiDim;
    private final Mlp net;
    private final boolean gated;
    private final double gateBias, logSigmaMin;
    private final DType dtype;

    private ReverseModel(int xDim, int psiDim, Mlp net, boolean gated, double gateBias, double logSigmaMin, DType dtype) {
        this.xDim = xDim; this.psiDim = psiDim; this.net = net; this.gated = gated; this.gateBias = gateBias;
        this.logSigmaMin = logSigmaMin; this.dtype = dtype;
    }

    /**
     * @param hidden      hidden layer sizes (empty: τ's mean and log-scale are affine in x)
     * @param gateBias    NaN: no gate; otherwise the bias added to the gate logit
     * @param logSigmaMin lower clamp of log σ
     */
    public static ReverseModel create(Params params, String prefix, int xDim, int psiDim, int[] hidden, Activation act,
                                      double gateBias, double logSigmaMin, Rng rng, DType dt) {
        boolean gated = !Double.isNaN(gateBias);
        int[] sizes = Layers.sizes(xDim, hidden, (gated ? 3 : 2) * psiDim);
        return new ReverseModel(xDim, psiDim, Mlp.create(params, prefix + ".net", sizes, act, rng, dt), gated, gateBias, logSigmaMin, dt);
    }

    public int psiDim() { return psiDim; }

    public int xDim() { return xDim; }

    /** τ(· | x) for each row of x (n×xDim): mu and logSigma, both n×psiDim. */
    public SemiImplicit.Conditional conditional(Params.Bound p, Var x) {
        Var out = net.forward(p, x);
        Var mu = slice(out, 1, 0, psiDim), ls = slice(out, 1, psiDim, 2 * psiDim);
        if (gated) {
            Var s = sigmoid(addScalar(slice(out, 1, 2 * psiDim, 3 * psiDim), gateBias));
            mu = mul(s, mu);
            ls = mul(s, ls);
        }
        return new SemiImplicit.Conditional(mu, maximum(ls, scalar(ls.dtype(), logSigmaMin)));
    }

    /** The conditional repeated for k draws per row: (k·n)×psiDim, row k'·n + i belongs to x_i. */
    public static SemiImplicit.Conditional repeat(SemiImplicit.Conditional c, int k) {
        return new SemiImplicit.Conditional(Gaussians.repeatRows(c.mu(), k), Gaussians.repeatRows(c.logSigma(), k));
    }

    /** k reparameterised draws ψ = μ + σ ⊙ ε per row: (k·n)×psiDim, block-major as {@link #repeat}. */
    public Var sample(SemiImplicit.Conditional c, Rng rng, int k) {
        SemiImplicit.Conditional r = repeat(c, k);
        Var eps = constant(rng.normal(dtype, r.mu().dim(0), psiDim));
        return add(r.mu(), mul(r.sigma(), eps));
    }

    /** log τ(ψ | x) per row for a (repeated) conditional and ψ of matching rows. */
    public static Var logDensity(SemiImplicit.Conditional c, Var psi) { return Gaussians.diagLogPdf(psi, c.mu(), c.logSigma()); }
}
