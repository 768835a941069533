package sivi.posteriordb;

import java.util.Map;
import sivi.autodiff.Var;

import static sivi.autodiff.Ops.*;
import static sivi.posteriordb.StanMath.*;

/** Small hierarchical and mixture posteriors: eight schools (non-centred), a two-component normal mixture. */
final class Hierarchical {
    private Hierarchical() {}

    /** eight_schools_noncentered: theta = mu + tau·theta_trans; y ~ normal(theta, sigma). Outputs theta, mu, tau. */
    static final class EightSchools extends StanModel {
        private final int j;
        private final double[] y, sigma;

        EightSchools(String posterior) {
            super(posterior);
            StanData d = StanData.load(posterior);
            j = d.integer("J", 0);
            y = d.vector("y", j);
            sigma = d.vector("sigma", j, 0);
            vector("theta_trans", j);
            real("mu");
            real("tau", Constraint.lower(0));
            transformed("theta", j);
        }

        @Override protected void transform(Params p) { p.put("theta", add(mul(p.get("theta_trans"), p.get("tau")), p.get("mu"))); }

        @Override protected void recover(Map<String, double[]> row) {
            double[] th = row.get("theta"), tt = new double[j];
            double mu = row.get("mu")[0], tau = row.get("tau")[0];
            for (int i = 0; i < j; i++) tt[i] = (th[i] - mu) / tau;
            row.put("theta_trans", tt);
        }

        @Override protected Var model(Params p) {
            Var theta = p.get("theta");
            Var lik = sum(normalLpdf(data(theta, y, 1, j), theta, data(theta, sigma, 1, j)), 1, false);
            Var prior = add(sum(normalLpdf(p.get("theta_trans"), 0, 1), 1, false), add(normalLpdf(p.scalar("mu"), 0, 5), cauchyLpdf(p.scalar("tau"), 0, 5)));
            return add(lik, prior);
        }
    }

    /** low_dim_gauss_mix: y[n] ~ theta N(mu[1], sigma[1]) + (1 − theta) N(mu[2], sigma[2]), mu ordered. */
    static final class GaussMix extends StanModel {
        private final double[] y;

        GaussMix(String posterior) {
            super(posterior);
            StanData d = StanData.load(posterior);
            y = d.vector("y", d.integer("N", 0));
            vector("mu", 2, Constraint.ORDERED);
            vector("sigma", 2, Constraint.lower(0));
            real("theta", Constraint.bounded(0, 1));
        }

        @Override protected Var model(Params p) {
            Var mu = p.get("mu"), sigma = p.get("sigma"), theta = p.get("theta");
            Var yy = data(mu, y, 1, y.length);
            Var c1 = add(log(theta), normalLpdf(yy, slice(mu, 1, 0, 1), slice(sigma, 1, 0, 1)));
            Var c2 = add(log1p(neg(theta)), normalLpdf(yy, slice(mu, 1, 1, 2), slice(sigma, 1, 1, 2)));
            Var lik = sum(logSumExp2(c1, c2), 1, false);
            Var prior = add(add(sum(normalLpdf(sigma, 0, 2), 1, false), sum(normalLpdf(mu, 0, 2), 1, false)), reshape(betaLpdf(theta, 5, 5), -1));
            return add(lik, prior);
        }
    }
}
