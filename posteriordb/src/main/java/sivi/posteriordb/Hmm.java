package sivi.posteriordb;

import java.util.Map;
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

    @Override protected PointModel pointModel() { return this::point; }

    /**
     * The forward algorithm on one draw with each state's log α carried with its derivatives in the
     * parameters (forward mode): theta1[1..2], theta2[1..2], then the emission parameters of state 1
     * and 2 (mu, or phi and lambda).
     */
    private double point(Map<String, double[]> v, Map<String, double[]> g) {
        boolean example = kind == Kind.EXAMPLE;
        double[][] theta = {v.get("theta1"), v.get("theta2")};
        double[] e = v.get(example ? "mu" : "phi"), f = example ? null : v.get("lambda");
        int m = example ? 6 : 8;
        double[][] logTheta = new double[2][2];
        for (int j = 0; j < 2; j++) for (int k = 0; k < 2; k++) logTheta[j][k] = Math.log(theta[j][k]);
        double[] gamma = new double[2], next = new double[2];
        double[][] d = new double[2][m], dNext = new double[2][m];
        double[] em = new double[3];
        for (int k = 0; k < 2; k++) {
            emission(e, f, 0, k, em);
            gamma[k] = em[0];
            d[k][4 + k] = em[1];
            if (!example) d[k][6 + k] = em[2];
        }
        for (int t = 1; t < n; t++) {
            for (int k = 0; k < 2; k++) {
                double a0 = gamma[0] + logTheta[0][k], a1 = gamma[1] + logTheta[1][k];
                double lse = PointMath.logSumExp(a0, a1), w0 = Math.exp(a0 - lse), w1 = Math.exp(a1 - lse);
                double[] dk = dNext[k];
                for (int q = 0; q < m; q++) dk[q] = w0 * d[0][q] + w1 * d[1][q];
                dk[k] += w0 / theta[0][k];
                dk[2 + k] += w1 / theta[1][k];
                emission(e, f, t, k, em);
                next[k] = lse + em[0];
                dk[4 + k] += em[1];
                if (!example) dk[6 + k] += em[2];
            }
            double[] swap = gamma; gamma = next; next = swap;
            double[][] dSwap = d; d = dNext; dNext = dSwap;
        }
        double lp = PointMath.logSumExp(gamma[0], gamma[1]);
        double w0 = Math.exp(gamma[0] - lp), w1 = Math.exp(gamma[1] - lp);
        double[] grad = new double[m];
        for (int q = 0; q < m; q++) grad[q] = w0 * d[0][q] + w1 * d[1][q];
        if (example) {
            lp += PointMath.normal(e[0], 3, 1) + PointMath.normal(e[1], 10, 1);
            grad[4] += PointMath.normalDy(e[0], 3, 1);
            grad[5] += PointMath.normalDy(e[1], 10, 1);
        } else {
            double[] centre = {0, 3};
            for (int k = 0; k < 2; k++) {
                lp += PointMath.normal(e[k], centre[k], 1) + PointMath.normal(f[k], centre[k], 1);
                grad[4 + k] += PointMath.normalDy(e[k], centre[k], 1);
                grad[6 + k] += PointMath.normalDy(f[k], centre[k], 1);
            }
            for (int j = 0; j < 2; j++) {
                double sum = 0, c = 0;
                for (int k = 0; k < 2; k++) {
                    sum += alpha[j][k];
                    c -= lgamma(alpha[j][k]);
                    lp += (alpha[j][k] - 1) * logTheta[j][k];
                    grad[2 * j + k] += (alpha[j][k] - 1) / theta[j][k];
                }
                lp += c + lgamma(sum);
            }
        }
        System.arraycopy(grad, 0, g.get("theta1"), 0, 2);
        System.arraycopy(grad, 2, g.get("theta2"), 0, 2);
        System.arraycopy(grad, 4, g.get(example ? "mu" : "phi"), 0, 2);
        if (!example) System.arraycopy(grad, 6, g.get("lambda"), 0, 2);
        return lp;
    }

    /** State k's emission log density at time t and its derivatives in e[k] and f[k], into out[0..2]. */
    private void emission(double[] e, double[] f, int t, int k, double[] out) {
        switch (kind) {
            case EXAMPLE -> {
                out[0] = PointMath.normal(e[k], u[t], 1);
                out[1] = PointMath.normalDy(e[k], u[t], 1);
            }
            case DRIVE_NORMAL -> {
                out[0] = PointMath.normal(e[k], u[t], tau) + PointMath.normal(f[k], v[t], rho);
                out[1] = PointMath.normalDy(e[k], u[t], tau);
                out[2] = PointMath.normalDy(f[k], v[t], rho);
            }
            case DRIVE_EXPONENTIAL -> {
                out[0] = Math.log(e[k]) + Math.log(f[k]) - e[k] * u[t] - f[k] * v[t];
                out[1] = 1 / e[k] - u[t];
                out[2] = 1 / f[k] - v[t];
            }
        }
    }
}
