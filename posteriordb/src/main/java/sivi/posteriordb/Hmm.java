package sivi.posteriordb;

import sivi.autodiff.Var;

import static sivi.autodiff.Ops.*;
import static sivi.posteriordb.StanMath.*;

/**
 * The two-state drive HMMs (hmm_drive_0: exponential emissions, positive_ordered rates;
 * hmm_drive_1: normal emissions with known sds tau, rho, ordered means): Dirichlet priors on the
 * transition rows theta1, theta2, and the forward algorithm as a log-sum-exp recursion over time
 * on N-vectors (Rabiner 1989, eq. 19–20, in log space).
 */
final class Hmm extends StanModel {
    private final boolean normal;
    private final int k, n;
    private final double[] u, v;
    private final double[][] alpha;
    private final double tau, rho;

    Hmm(String posterior, boolean normal) {
        super(posterior);
        this.normal = normal;
        StanData d = StanData.load(posterior);
        k = d.integer("K", 1);
        n = d.integer("N", 1);
        if (k != 2) throw new IllegalArgumentException("posteriordb " + posterior + ": the port has theta1, theta2 for K = 2 states, data has K = " + k);
        u = d.vector("u", n);
        v = d.vector("v", n);
        alpha = d.matrix("alpha", k, k);
        for (double[] r : alpha) for (double a : r) if (!(a > 0)) throw new IllegalArgumentException("posteriordb " + posterior + ": data 'alpha' must be > 0, has " + a);
        tau = normal ? d.real("tau") : 0;
        rho = normal ? d.real("rho") : 0;
        vector("theta1", k, Constraint.SIMPLEX);
        vector("theta2", k, Constraint.SIMPLEX);
        vector("phi", k, normal ? Constraint.ORDERED : Constraint.POSITIVE_ORDERED);
        vector("lambda", k, normal ? Constraint.ORDERED : Constraint.POSITIVE_ORDERED);
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
        if (normal) return add(normalLpdf(phi, u[t], tau), normalLpdf(lambda, v[t], rho));
        // exponential_lpdf(u | phi) = log phi − phi u
        return add(sub(log(phi), scale(phi, u[t])), sub(log(lambda), scale(lambda, v[t])));
    }

    @Override protected Var model(Params p) {
        Var th1 = p.get("theta1"), th2 = p.get("theta2");
        Var lp = add(dirichletLpdf(th1, alpha[0]), dirichletLpdf(th2, alpha[1]));
        Var phi1 = p.at("phi", 0), phi2 = p.at("phi", 1), l1 = p.at("lambda", 0), l2 = p.at("lambda", 1);
        lp = add(lp, add(add(normalLpdf(phi1, 0, 1), normalLpdf(phi2, 3, 1)), add(normalLpdf(l1, 0, 1), normalLpdf(l2, 3, 1))));
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
