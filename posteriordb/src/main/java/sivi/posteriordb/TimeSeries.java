package sivi.posteriordb;

import java.util.Map;
import sivi.autodiff.Var;

import static sivi.autodiff.Ops.*;
import static sivi.posteriordb.StanMath.*;

/** The time-series posteriors: AR(K), ARMA(1,1), GARCH(1,1), ported from their model.stan. */
final class TimeSeries {
    private TimeSeries() {}

    /** arK: y[t] ~ normal(alpha + Σ_k beta[k] y[t−k], sigma) for t > K; normal(0, 10) and cauchy(0, 2.5) priors. */
    static final class ArK extends StanModel {
        private final int k, t;
        private final double[] y, lags, next;

        ArK(String posterior) {
            super(posterior);
            StanData d = StanData.load(posterior);
            k = d.integer("K", 0);
            t = d.integer("T", 0);
            y = d.vector("y", t);
            // the lag matrix: row t−K−1 holds y[t−1], …, y[t−K]
            lags = new double[(t - k) * k];
            next = new double[t - k];
            for (int s = k; s < t; s++) {
                next[s - k] = y[s];
                for (int j = 0; j < k; j++) lags[(s - k) * k + j] = y[s - 1 - j];
            }
            real("alpha");
            vector("beta", k);
            real("sigma", Constraint.lower(0));
        }

        @Override protected Var model(Params p) {
            Var alpha = p.get("alpha"), beta = p.get("beta"), sigma = p.get("sigma");
            Var mu = add(alpha, matmul(beta, data(alpha, lags, t - k, k), false, true));
            Var lik = sum(normalLpdf(data(alpha, next, 1, t - k), mu, sigma), 1, false);
            Var prior = add(add(reshape(normalLpdf(alpha, 0, 10), -1), sum(normalLpdf(beta, 0, 10), 1, false)), reshape(cauchyLpdf(sigma, 0, 2.5), -1));
            return add(lik, prior);
        }
    }

    /** arma11: err[t] = y[t] − (mu + phi y[t−1] + theta err[t−1]), err[0] = 0, y[0] = mu; err ~ normal(0, sigma). */
    static final class Arma11 extends StanModel {
        private final double[] y;

        Arma11(String posterior) {
            super(posterior);
            StanData d = StanData.load(posterior);
            y = d.vector("y", d.integer("T", 1));
            real("mu");
            real("phi");
            real("theta");
            real("sigma", Constraint.lower(0));
        }

        @Override protected Var model(Params p) {
            Var mu = p.scalar("mu"), phi = p.scalar("phi"), theta = p.scalar("theta"), sigma = p.scalar("sigma");
            // the recursion over time on N-vectors: Σ err² accumulates as it goes
            Var err = sub(neg(add(mu, mul(phi, mu))), num(mu, -y[0]));
            Var ss = square(err);
            for (int t = 1; t < y.length; t++) {
                err = sub(addScalar(neg(add(mu, scale(phi, y[t - 1]))), y[t]), mul(theta, err));
                ss = add(ss, square(err));
            }
            Var lik = addScalar(sub(scale(div(ss, square(sigma)), -0.5), scale(log(sigma), y.length)), -y.length * HALF_LOG_2PI);
            Var prior = add(add(normalLpdf(mu, 0, 10), normalLpdf(phi, 0, 2)), add(normalLpdf(theta, 0, 2), cauchyLpdf(sigma, 0, 2.5)));
            return add(lik, prior);
        }

        @Override protected PointModel pointModel() { return this::point; }

        /** The recursion with err's derivatives in mu, phi, theta carried forward (forward mode). */
        private double point(Map<String, double[]> v, Map<String, double[]> g) {
            double mu = v.get("mu")[0], phi = v.get("phi")[0], theta = v.get("theta")[0], sigma = v.get("sigma")[0];
            double err = y[0] - mu - phi * mu, dMu = -1 - phi, dPhi = -mu, dTheta = 0;
            // ss = Σ err², and half its derivatives Σ err·∂err
            double ss = err * err, gMu = err * dMu, gPhi = err * dPhi, gTheta = 0;
            for (int t = 1; t < y.length; t++) {
                double e = y[t] - mu - phi * y[t - 1] - theta * err;
                dMu = -1 - theta * dMu;
                dPhi = -y[t - 1] - theta * dPhi;
                dTheta = -err - theta * dTheta;
                err = e;
                ss += e * e;
                gMu += e * dMu;
                gPhi += e * dPhi;
                gTheta += e * dTheta;
            }
            int n = y.length;
            double s2 = sigma * sigma;
            g.get("mu")[0] = -gMu / s2 + PointMath.normalDy(mu, 0, 10);
            g.get("phi")[0] = -gPhi / s2 + PointMath.normalDy(phi, 0, 2);
            g.get("theta")[0] = -gTheta / s2 + PointMath.normalDy(theta, 0, 2);
            g.get("sigma")[0] = ss / (s2 * sigma) - n / sigma + PointMath.cauchyDy(sigma, 0, 2.5);
            double lik = -0.5 * ss / s2 - n * Math.log(sigma) - n * HALF_LOG_2PI;
            return lik + PointMath.normal(mu, 0, 10) + PointMath.normal(phi, 0, 2) + PointMath.normal(theta, 0, 2) + PointMath.cauchy(sigma, 0, 2.5);
        }
    }

    /**
     * garch11: sigma[t]² = alpha0 + alpha1 (y[t−1] − mu)² + beta1 sigma[t−1]², sigma[1] = sigma1;
     * y ~ normal(mu, sigma); flat priors. beta1 ∈ (0, 1 − alpha1): the block holds beta1 / (1 − alpha1)
     * ∈ (0, 1) and the extra log-Jacobian log(1 − alpha1) is added here (Stan's transform for a
     * parameter-dependent upper bound).
     */
    static final class Garch11 extends StanModel {
        private final double[] y;
        private final double sigma1;

        Garch11(String posterior) {
            super(posterior);
            StanData d = StanData.load(posterior);
            y = d.vector("y", d.integer("T", 0));
            sigma1 = d.real("sigma1");
            if (!(sigma1 >= 0)) throw new IllegalArgumentException("posteriordb " + posterior + ": data 'sigma1' is " + sigma1 + ", below its declared lower bound 0");
            real("mu");
            real("alpha0", Constraint.lower(0));
            real("alpha1", Constraint.bounded(0, 1));
            real("beta1", Constraint.bounded(0, 1));
        }

        @Override protected void transform(Params p) {
            p.put("beta1", mul(p.get("beta1"), sub(onesLike(p.get("alpha1")), p.get("alpha1"))));
        }

        @Override protected void recover(java.util.Map<String, double[]> row) {
            row.put("beta1", new double[] {row.get("beta1")[0] / (1 - row.get("alpha1")[0])});
        }

        @Override protected Var model(Params p) {
            Var mu = p.scalar("mu"), a0 = p.scalar("alpha0"), a1 = p.scalar("alpha1"), b1 = p.scalar("beta1");
            Var s2 = num(mu, sigma1 * sigma1);
            Var lp = scale(square(addScalar(neg(mu), y[0])), -0.5 / (sigma1 * sigma1));
            Var half = num(mu, 0);
            for (int t = 1; t < y.length; t++) {
                s2 = add(add(a0, mul(a1, square(addScalar(neg(mu), y[t - 1])))), mul(b1, s2));
                lp = sub(lp, scale(div(square(addScalar(neg(mu), y[t])), s2), 0.5));
                half = add(half, log(s2));
            }
            double c = -y.length * HALF_LOG_2PI - Math.log(sigma1);
            Var jac = log1p(neg(a1));   // d beta1 / d z = 1 − alpha1
            return add(addScalar(sub(lp, scale(half, 0.5)), c), jac);
        }

        @Override protected PointModel pointModel() { return this::point; }

        /** The recursion with sigma[t]²'s derivatives in mu, alpha0, alpha1, beta1 carried forward. */
        private double point(Map<String, double[]> v, Map<String, double[]> g) {
            double mu = v.get("mu")[0], a0 = v.get("alpha0")[0], a1 = v.get("alpha1")[0], b1 = v.get("beta1")[0];
            double s2 = sigma1 * sigma1, dMu = 0, dA0 = 0, dA1 = 0, dB1 = 0;
            double r0 = y[0] - mu;
            double lp = -0.5 * r0 * r0 / s2, gMu = r0 / s2, gA0 = 0, gA1 = 0, gB1 = 0;
            for (int t = 1; t < y.length; t++) {
                double prev = y[t - 1] - mu, prevS2 = s2;
                s2 = a0 + a1 * prev * prev + b1 * prevS2;
                dMu = -2 * a1 * prev + b1 * dMu;
                dA0 = 1 + b1 * dA0;
                dA1 = prev * prev + b1 * dA1;
                dB1 = prevS2 + b1 * dB1;
                double r = y[t] - mu;
                lp -= 0.5 * r * r / s2 + 0.5 * Math.log(s2);
                double dS2 = 0.5 * r * r / (s2 * s2) - 0.5 / s2;   // ∂lp/∂sigma[t]²
                gMu += r / s2 + dS2 * dMu;
                gA0 += dS2 * dA0;
                gA1 += dS2 * dA1;
                gB1 += dS2 * dB1;
            }
            g.get("mu")[0] = gMu;
            g.get("alpha0")[0] = gA0;
            g.get("alpha1")[0] = gA1 - 1 / (1 - a1);
            g.get("beta1")[0] = gB1;
            return lp - y.length * HALF_LOG_2PI - Math.log(sigma1) + Math.log1p(-a1);
        }
    }
}
