package sivi.amortised;

import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;

import static sivi.amortised.Gaussians.logNormal;
import static sivi.amortised.Gaussians.logStdNormal;
import static sivi.autodiff.Ops.*;

/**
 * Log importance weights log w_bm = log p(x_b, z_bm) − log q̂(z_bm | x_b) for M draws z_bm ~ q(z | x_b),
 * shape [B, M]. Every bound of this package is a function of them: the mean over m estimates the
 * single-sample bound (the ELBO for a Gaussian encoder), log (1/M) Σ_m w_bm is the M-sample
 * importance-weighted bound (IWAE, Burda et al. 2016).
 *
 * <p>For a semi-implicit encoder log q(z | x) is replaced by the IWHVI estimate (Sobolev and Vetrov
 * 2019, eq. 7) log q̂(z) = log (1/(K+1)) Σ_{k=0..K} q(z | psi_k, x) q(psi_k) / τ(psi_k | z, x), where psi_0
 * is the mixing draw that generated z and psi_1..psi_K ~ τ(psi | z, x). Its expectation is an upper
 * bound on log q(z | x) for every τ, so log p(x, z) − log q̂ lower-bounds log p(x) in expectation; with
 * M outer draws the whole estimator is an IWAE bound on the extended space (z, psi_0..psi_K) with
 * target p(x, z) Π_k τ(psi_k | z, x) (which integrates to p(x)) and proposal q(z, psi_0) Π_{k≥1} τ(psi_k | z, x)
 * symmetrised over the position of psi_0 (the estimator is symmetric in the psi_k), so E log (1/M) Σ_m w_m
 * ≤ log p(x) for every M, K and τ (the doubly importance-weighted bound, M-IWHVI, their eq. 9). With
 * τ = q(psi) the weight is q(z | psi_k, x) and M = 1 gives the SIVI surrogate of Yin and Zhou (2018,
 * eq. 7, psi_0 included), also a lower bound.
 */
public final class Bounds {
    private Bounds() {}

    /**
     * log w [B, M] for the Gaussian encoder; {@code stopQ} detaches the encoder parameters inside
     * log q (z keeps its reparameterised path), what the DReG estimator differentiates (Tucker et al. 2019).
     */
    public static Var gaussian(Vae vae, Params.Bound p, Var x, int draws, Rng rng, boolean stopQ) {
        GaussianEncoder enc = (GaussianEncoder) vae.encoder();
        int b = x.dim(0), d = enc.latent();
        Var[] q = enc.muLogSigma(p, x);
        Var mu = reshape(q[0], b, 1, d), logSigma = reshape(q[1], b, 1, d);
        Var z3 = add(mu, mul(exp(logSigma), constant(rng.normal(x.dtype(), b, draws, d))));
        Var logQ = stopQ ? logNormal(z3, constant(mu.value()), constant(logSigma.value())) : logNormal(z3, mu, logSigma);
        return sub(logJoint(vae, p, reshape(z3, b * draws, d), x), logQ);
    }

    /**
     * log w [B, M] for the semi-implicit encoder with K = {@code inner} extra mixing draws, from the
     * reverse model when the VAE has one ({@code useReverse}), else from the prior q(psi).
     */
    public static Var semiImplicit(Vae vae, Params.Bound p, Var x, int draws, int inner, boolean useReverse, Rng rng) {
        SemiImplicitEncoder enc = (SemiImplicitEncoder) vae.encoder();
        if (useReverse && vae.reverse() == null) throw new IllegalArgumentException("this VAE has no reverse model");
        if (inner < 0) throw new IllegalArgumentException("inner draws K must be ≥ 0, got " + inner);
        int b = x.dim(0), d = enc.latent(), e = enc.noise(), n = b * draws;
        DType dt = x.dtype();
        Var xPart = enc.net().xPart(p, x);
        Var psi0 = constant(rng.normal(dt, n, e));
        Var[] q0 = enc.muLogSigma(p, xPart, psi0);
        Var z = add(q0[0], mul(exp(q0[1]), constant(rng.normal(dt, n, d))));   // [B·M, d], image-major
        Var[] tau = null;
        Var psiK;
        if (useReverse) {
            Var[] t = vae.reverse().meanLogScale(p, vae.reverse().net().xPart(p, x), z);
            tau = new Var[] {reshape(t[0], n, 1, e), reshape(t[1], n, 1, e)};
            psiK = add(tau[0], mul(exp(tau[1]), constant(rng.normal(dt, n, inner, e))));
        } else psiK = constant(rng.normal(dt, n, inner, e));
        Var psi = inner == 0 ? reshape(psi0, n, 1, e) : concat(1, reshape(psi0, n, 1, e), psiK);   // [B·M, K+1, e]
        Var[] qa = enc.muLogSigma(p, xPart, reshape(psi, n * (inner + 1), e));
        Var logW = logNormal(reshape(z, n, 1, d), reshape(qa[0], n, inner + 1, d), reshape(qa[1], n, inner + 1, d));   // [B·M, K+1]
        if (useReverse) logW = sub(add(logW, logStdNormal(psi)), logNormal(psi, tau[0], tau[1]));
        Var logQHat = addScalar(logSumExp(logW, 1, false), -Math.log(inner + 1));
        return sub(logJoint(vae, p, z, x), reshape(logQHat, b, draws));
    }

    /** log p(x_b, z_bm) = log p(x_b | z_bm) + log N(z_bm; 0, I) as [B, M], for z [B·M, d]. */
    static Var logJoint(Vae vae, Params.Bound p, Var z, Var x) {
        int b = x.dim(0);
        return reshape(add(vae.decoder().logLikelihood(p, z, x), logStdNormal(z)), b, z.dim(0) / b);
    }

    /**
     * The DReG losses for the IWAE bound (Tucker et al. 2019), from log w [B, M] computed with
     * {@code stopQ}: [0] = −(1/B) Σ_b log (1/M) Σ_m w_bm, whose decoder gradient is the IWAE gradient
     * (log q does not depend on the decoder); [1] = −(1/B) Σ_b Σ_m sg(w̃_bm²) log w_bm with w̃ the
     * normalised weights, whose encoder gradient is the DReG estimator (same expectation as the
     * IWAE gradient, lower variance). Take each loss's gradient for its own parameters only.
     */
    public static Var[] dregLosses(Var logWStopQ) {
        Var wTilde = constant(exp(sub(logWStopQ, logSumExp(logWStopQ, 1, true))).value());
        return new Var[] {neg(mean(importanceWeighted(logWStopQ))), neg(mean(sum(mul(square(wTilde), logWStopQ), 1, false)))};
    }

    /** log (1/M) Σ_m w_bm per image: [B, M] → [B]. */
    public static Var importanceWeighted(Var logW) { return addScalar(logSumExp(logW, 1, false), -Math.log(logW.dim(1))); }

    /** (1/M) Σ_m log w_bm per image: [B, M] → [B]. */
    public static Var averaged(Var logW) { return mean(logW, 1, false); }
}
