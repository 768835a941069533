package sivi.posteriordb;

import java.util.Map;
import sivi.autodiff.Var;

import static sivi.autodiff.Ops.*;
import static sivi.posteriordb.StanMath.*;

/**
 * gp_pois_regr: f = L·f_tilde with L the Cholesky factor of alpha² exp(−(x_i − x_j)²/(2 rho²)) +
 * 1e-10 δ_ij, k ~ poisson_log(f), f_tilde ~ normal(0, 1), rho ~ gamma(25, 4), alpha ~ normal(0, 2).
 * Outputs rho, alpha, f; f_tilde is recovered as L⁻¹f.
 */
final class GpPoisRegr extends StanModel {
    static final double JITTER = 1e-10;
    private final double[] x, k;
    private final double logFactorials;

    GpPoisRegr(String posterior) {
        super(posterior);
        StanData d = StanData.load(posterior);
        int n = d.integer("N", 1);
        x = d.vector("x", n);
        k = d.vector("k", n, 0);
        double c = 0;
        for (double ki : k) c += lgamma(ki + 1);
        logFactorials = c;
        real("rho", Constraint.lower(0));
        real("alpha", Constraint.lower(0));
        vector("f_tilde", n);
        transformed("f", n);
    }

    private Var[][] factor(Var rho, Var alpha) { return cholesky(expQuadCov(x, alpha, rho, num(rho, JITTER))); }

    @Override protected void transform(Params p) {
        int n = x.length;
        Var[][] l = factor(p.scalar("rho"), p.scalar("alpha"));
        Var[] f = new Var[n];
        for (int i = 0; i < n; i++) {
            Var s = null;
            for (int j = 0; j <= i; j++) {
                Var t = mul(l[i][j], p.at("f_tilde", j));
                s = s == null ? t : add(s, t);
            }
            f[i] = unsqueeze(s, 1);
        }
        p.put("f", concat(1, f));
    }

    @Override protected void recover(Map<String, double[]> row) {
        int n = x.length;
        double rho = row.get("rho")[0], alpha = row.get("alpha")[0];
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                double s = alpha * alpha * Math.exp(-(x[i] - x[j]) * (x[i] - x[j]) / (2 * rho * rho)) + (i == j ? JITTER : 0);
                for (int m = 0; m < j; m++) s -= l[i][m] * l[j][m];
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        double[] f = row.get("f"), ft = new double[n];
        for (int i = 0; i < n; i++) {
            double s = f[i];
            for (int j = 0; j < i; j++) s -= l[i][j] * ft[j];
            ft[i] = s / l[i][i];
        }
        row.put("f_tilde", ft);
    }

    @Override protected Var model(Params p) {
        Var f = p.get("f");
        // poisson_log(k | f) = k f − exp(f) − lgamma(k + 1)
        Var lik = addScalar(sum(sub(mul(data(f, k, 1, k.length), f), exp(f)), 1, false), -logFactorials);
        Var prior = add(sum(normalLpdf(p.get("f_tilde"), 0, 1), 1, false), add(gammaLpdf(p.scalar("rho"), 25, 4), normalLpdf(p.scalar("alpha"), 0, 2)));
        return add(lik, prior);
    }
}
