package sivi.posteriordb;

import sivi.autodiff.Var;

import static sivi.autodiff.Ops.*;
import static sivi.posteriordb.StanMath.*;

/**
 * The two-state HMMs: hmm_drive_0 (exponential emissions, positive_ordered rates), hmm_drive_1
 * (normal emissions with known sds tau, rho, ordered means), both with Dirichlet priors on the
 * transition rows theta1, theta2; hmm_example (one normal output with sd 1, positive_ordered
 * means, flat simplexes). The forward algorithm is a log-sum-exp recursion over time on N-vectors
 * (Rabiner 1989, eq. 19–20, in log space).
 */
final class Hmm extends StanModel {
    enum Kind { DRIVE_EXPONENTIAL, DRIVE_NORMAL, EXAMPLE }

    private final Kind kind;
    private final int k, n;
    private final double[] u, v;
    private final double[][] alpha;
    private final double tau, rho;

    Hmm(String posterior, Kind kind) {
        super(posterior);
        this.kind = kind;
        StanData d = StanData.load(posterior);
        k = d.integer("K", 1);
        n = d.integer("N", 1);
        if (k != 2) throw new IllegalArgumentException("posteriordb " + posterior + ": the port has theta1, theta2 for K = 2 states, data has K = " + k);
        boolean example = kind == Kind.EXAMPLE;
        u = d.vector(example ? "y" : "u", n);
        v = example ? null : d.vector("v", n);
        alpha = example ? null : d.matrix("alpha", k, k);
        if (alpha != null)
            for (double[] r : alpha) for (double a : r) if (!(a > 0)) throw new IllegalArgumentException("posteriordb " + posterior + ": data 'alpha' must be > 0, has " + a);
        tau = kind == Kind.DRIVE_NORMAL ? d.real("tau") : 0;
        rho = kind == Kind.DRIVE_NORMAL ? d.real("rho") : 0;
        vector("theta1", k, Constraint.SIMPLEX);
        vector("theta2", k, Constraint.SIMPLEX);
        Constraint order = kind == Kind.DRIVE_NORMAL ? Constraint.ORDERED : Constraint.POSITIVE_ORDERED;
        if (example) vector("mu", k, order);
        else {
            vector("phi", k, order);
            vector("lambda", k, order);
        }
    }

    /** log Dirichlet(x | a) = lgamma(Σa) − Σ lgamma(a) + Σ (a − 1) log x. */
    static Var dirichletLpdf(Var x, double[] a) {
        double c = 0, s = 0;
        double[] am1 = new double[a.length];
        for (int i = 0; i < a.length; i++) { s += a[i]; c -= lgamma(a[i]); am1[i] = a[i] - 1; }
        c += lgamma(s);
        return addScalar(sum(mul(log(x), constant(sivi.tensor.Tensor.of(x.dtype(), am1, 1, a.length))), 1, false), c);
    }

    /** The emission log densities of both states at time t (N×2); loc, rate or mean per state in e (N×2), f (N×2). */
    private Var emission(Var e, Var f, Var logs, int t) {
        return switch (kind) {
            case EXAMPLE -> normalLpdf(e, u[t], 1);
            case DRIVE_NORMAL -> add(normalLpdf(e, u[t], tau), normalLpdf(f, v[t], rho));
            // exponential_lpdf(u | phi) = log phi − phi u, log phi + log lambda precomputed
            case DRIVE_EXPONENTIAL -> sub(logs, add(scale(e, u[t]), scale(f, v[t])));
        };
    }

    @Override protected Var model(Params p) {
        Var lp, phi1, phi2, l1 = null, l2 = null;
        if (kind == Kind.EXAMPLE) {
            phi1 = p.at("mu", 0);
            phi2 = p.at("mu", 1);
            lp = add(normalLpdf(phi1, 3, 1), normalLpdf(phi2, 10, 1));
        } else {
            lp = add(dirichletLpdf(p.get("theta1"), alpha[0]), dirichletLpdf(p.get("theta2"), alpha[1]));
            phi1 = p.at("phi", 0); phi2 = p.at("phi", 1); l1 = p.at("lambda", 0); l2 = p.at("lambda", 1);
            lp = add(lp, add(add(normalLpdf(phi1, 0, 1), normalLpdf(phi2, 3, 1)), add(normalLpdf(l1, 0, 1), normalLpdf(l2, 3, 1))));
        }
        // log theta[j, k] as N×2×2 (row j is theta_j); the state vector gamma is N×2
        Var logTheta = log(concat(1, unsqueeze(p.get("theta1"), 1), unsqueeze(p.get("theta2"), 1)));
        Var e = concat(1, unsqueeze(phi1, 1), unsqueeze(phi2, 1));
        Var f = kind == Kind.EXAMPLE ? null : concat(1, unsqueeze(l1, 1), unsqueeze(l2, 1));
        Var logs = kind == Kind.DRIVE_EXPONENTIAL ? add(log(e), log(f)) : null;
        Var gamma = emission(e, f, logs, 0);
        for (int t = 1; t < n; t++)
            gamma = add(logSumExpShifted(add(unsqueeze(gamma, 2), logTheta), 1), emission(e, f, logs, t));
        return add(lp, logSumExpShifted(gamma, 1));
    }
}
