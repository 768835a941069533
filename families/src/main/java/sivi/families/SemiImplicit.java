package sivi.families;

import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;

import static sivi.autodiff.Ops.*;

/**
 * A semi-implicit family with an explicit diagonal-Gaussian conditional:
 * q_φ(x) = ∫ N(x | μ_φ(z), diag σ_φ(z)²) q(z) dz (Yin &amp; Zhou 2018, eq. 2; Titsias &amp; Ruiz 2019,
 * eq. 3). The mixing variable z has a known density q(z) (standard normal unless overridden), so
 * the same family serves SIVI (which needs only q(x|z)), IWHVI (q(x|z)·q(z)/τ(z|x)) and UIVI
 * (HMC on the reverse conditional q(z|x) ∝ q(x|z)·q(z)).
 */
public interface SemiImplicit extends Family {
    /** The conditional's parameters for given mixing draws: mu n×d, logSigma n×d or 1×d (shared). */
    record Conditional(Var mu, Var logSigma) {
        public Var sigma() { return exp(logSigma); }
    }

    int mixingDim();

    DType dtype();

    /** n draws of the mixing variable (n×dz), independent of the parameters. */
    default Var sampleMixing(Rng rng, int n) { return constant(rng.normal(dtype(), n, mixingDim())); }

    /** log q(z) per row. Default: standard normal. */
    default Var mixingLogDensity(Var z) { return Gaussians.standardLogPdf(z); }

    Conditional conditional(Params.Bound p, Var z);

    @Override default Var conditionalLogDensity(Params.Bound p, Var x, Var z) {
        Conditional c = conditional(p, z);
        return Gaussians.diagLogPdf(x, c.mu(), c.logSigma());
    }

    /** z ~ q(z), ξ ~ N(0, I), x = μ(z) + σ(z) ⊙ ξ (draws z first, then ξ). */
    @Override default Draw sample(Params.Bound p, Rng rng, int n) {
        Var z = sampleMixing(rng, n);
        Var xi = constant(rng.normal(dtype(), n, dim()));
        Conditional c = conditional(p, z);
        Var s = c.sigma();
        return new Draw(add(c.mu(), mul(s, xi)), z, xi, c.mu(), s);
    }
}
