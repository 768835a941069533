package sivi.posteriordb;

import sivi.autodiff.Var;

import static sivi.autodiff.Ops.*;
import static sivi.posteriordb.StanMath.*;

/**
 * gp_regr: y ~ multi_normal(0, K), K_ij = alpha² exp(−(x_i − x_j)²/(2 rho²)) + sigma δ_ij (sigma
 * on the diagonal as the model writes it, not sigma²), through the Cholesky factor of K written
 * entrywise in ops on N-vectors (the matrices are 11×11). Priors rho ~ gamma(25, 4),
 * alpha ~ normal(0, 2), sigma ~ normal(0, 1).
 */
final class GpRegr extends StanModel {
    private final double[] x, y;

    GpRegr(String posterior) {
        super(posterior);
        StanData d = StanData.load(posterior);
        int n = d.integer("N", 1);
        x = d.vector("x", n);
        y = d.vector("y", n);
        real("rho", Constraint.lower(0));
        real("alpha", Constraint.lower(0));
        real("sigma", Constraint.lower(0));
    }

    @Override protected Var model(Params p) {
        Var rho = p.scalar("rho"), alpha = p.scalar("alpha"), sigma = p.scalar("sigma");
        int n = x.length;
        Var[][] k = expQuadCov(x, alpha, rho, sigma);
        Var[] yy = new Var[n];
        for (int i = 0; i < n; i++) yy[i] = num(rho, y[i]);
        Var lik = multiNormalCholeskyLpdf(yy, cholesky(k));
        return add(lik, add(gammaLpdf(rho, 25, 4), add(normalLpdf(alpha, 0, 2), normalLpdf(sigma, 0, 1))));
    }
}
