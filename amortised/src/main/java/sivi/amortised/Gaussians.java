package sivi.amortised;

import sivi.autodiff.Var;

import static sivi.autodiff.Ops.*;

/** Diagonal Gaussian log-densities as composites of autodiff ops (no backward of their own). */
final class Gaussians {
    private Gaussians() {}

    static final double LOG_2PI = Math.log(2 * Math.PI);

    /** Σ_j log N(x_j; mu_j, exp(logSigma_j)²) over the last axis; arguments broadcast (NumPy rules). */
    static Var logNormal(Var x, Var mu, Var logSigma) {
        Var u = div(sub(x, mu), exp(logSigma));
        Var terms = add(scale(square(u), 0.5), logSigma);
        int last = terms.rank() - 1, d = terms.dim(last);
        return addScalar(neg(sum(terms, last, false)), -0.5 * d * LOG_2PI);
    }

    /** Σ_j log N(x_j; 0, 1) over the last axis. */
    static Var logStdNormal(Var x) {
        int last = x.rank() - 1, d = x.dim(last);
        return addScalar(scale(sum(square(x), last, false), -0.5), -0.5 * d * LOG_2PI);
    }
}
