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

    /** The emission log density of state j at time t. */
    private Var emission(Var phi, Var lambda, int t) {
        if (kind == Kind.EXAMPLE) return normalLpdf(phi, u[t], 1);
        if (kind == Kind.DRIVE_NORMAL) return add(normalLpdf(phi, u[t], tau), normalLpdf(lambda, v[t], rho));
        // exponential_lpdf(u | phi) = log phi − phi u
        return add(sub(log(phi), scale(phi, u[t])), sub(log(lambda), scale(lambda, v[t])));
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
        // log theta[j, k]: row j is theta_j
        Var t11 = log(p.at("theta1", 0)), t12 = log(p.at("theta1", 1)), t21 = log(p.at("theta2", 0)), t22 = log(p.at("theta2", 1));
        Var g1 = emission(phi1, l1, 0), g2 = emission(phi2, l2, 0);
        for (int t = 1; t < n; t++) {
            Var n1 = add(logSumExp2(add(g1, t11), add(g2, t21)), emission(phi1, l1, t));
            Var n2 = add(logSumExp2(add(g1, t12), add(g2, t22)), emission(phi2, l2, t));
            g1 = n1;
            g2 = n2;
        }
        return add(lp, logSumExp2(g1, g2));
    }
}
