package sivi.families;

import sivi.autodiff.Var;

import static sivi.autodiff.Ops.*;

/** Diagonal-Gaussian log-densities as autodiff composites, shared by the families and the methods. */
public final class Gaussians {
    private Gaussians() {}

    public static final double LOG_2PI = Math.log(2 * Math.PI);

    /**
     * Σ_j log N(x_j | μ_j, exp(2·logSigma_j)) per row. x is n×d; mu and logSigma are n×d or 1×d
     * (broadcast). Returns n.
     */
    public static Var diagLogPdf(Var x, Var mu, Var logSigma) {
        Var z = div(sub(x, mu), exp(logSigma));
        Var perCoord = sub(scale(square(z), -0.5), addScalar(logSigma, 0.5 * LOG_2PI));
        if (perCoord.dim(0) != x.dim(0)) perCoord = broadcastTo(perCoord, x.shape());
        return sum(perCoord, 1, false);
    }

    /** Σ_j log N(z_j | 0, 1) per row (n×d → n). */
    public static Var standardLogPdf(Var z) {
        return addScalar(scale(sum(square(z), 1, false), -0.5), -0.5 * z.dim(1) * LOG_2PI);
    }

    /** The Gaussian conditional score ∇_x log q(x | z) = −ξ/σ of a reparameterised draw x = μ + σ ⊙ ξ. */
    public static Var conditionalScore(Family.Draw draw) { return neg(div(draw.xi(), draw.sigma())); }

    /** Each row repeated in k blocks: (k·n)×d with row k'·n + i equal to row i (block-major). */
    public static Var repeatRows(Var v, int k) {
        if (k == 1) return v;
        int n = v.dim(0), d = v.dim(1);
        return reshape(broadcastTo(reshape(v, 1, n, d), new int[] {k, n, d}), k * n, d);
    }
}
