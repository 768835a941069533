package sivi.metrics;

/**
 * Posterior-predictive test metrics from S posterior draws.
 */
public final class Predictive {
    private Predictive() {}

    /**
     * @param logLikelihood mean over test points of log p(y_i | x_i, data)
     * @param accuracy      fraction of test points whose predictive mode equals the label
     */
    public record Classification(double logLikelihood, double accuracy) {}

    /**
     * @param rmse          sqrt(mean_i (y_i - mean_s f_si)^2), the error of the predictive mean
     * @param logLikelihood mean over test points of log p(y_i | x_i, data)
     */
    public record Regression(double rmse, double logLikelihood) {}

    /**
     * Bayesian logistic regression, p(y = 1 | x, w) = sigmoid(w.x). The test log-likelihood is the
     * metric of the SIVI/KSIVI waveform experiments:
     * <pre>  LL = (1/N) sum_i log( (1/S) sum_s p(y_i | x_i, w_s) )  </pre>
     * computed in log space as logsumexp_s log sigmoid(+-w_s.x_i) - log S, with
     * log sigmoid(a) = -log1p(exp(-a)) (a &gt; 0) or a - log1p(exp(a)), so no probability underflows.
     * The prediction is 1 when the predictive probability (1/S) sum_s sigmoid(w_s.x_i) is &gt;= 1/2.
     *
     * @param x test inputs [N][d] (include the intercept column if the model has one)
     * @param y test labels [N] in {0, 1}
     * @param w posterior draws [S][d]
     */
    public static Classification logistic(double[][] x, double[] y, double[][] w) {
        int n = x.length, s = w.length;
        if (n == 0 || s == 0 || y.length != n) throw new IllegalArgumentException("need N > 0 test points with N labels and S > 0 draws");
        double ll = 0; int correct = 0;
        double[] lp = new double[s];
        for (int i = 0; i < n; i++) {
            if (y[i] != 0 && y[i] != 1) throw new IllegalArgumentException("label " + y[i] + " at test point " + i + " is not 0 or 1");
            double p1 = 0;
            for (int k = 0; k < s; k++) {
                double a = dot(w[k], x[i]);
                lp[k] = logSigmoid(y[i] == 1 ? a : -a);
                p1 += Math.exp(logSigmoid(a)) / s;
            }
            ll += logSumExp(lp) - Math.log(s);
            if ((p1 >= 0.5 ? 1 : 0) == y[i]) correct++;
        }
        return new Classification(ll / n, (double) correct / n);
    }

    /**
     * Regression with Gaussian noise (BNN benchmarks, Hernández-Lobato &amp; Adams 2015 protocol):
     * given per-draw predictions f_si and noise sds sigma_s, in the units of y (un-standardise
     * before calling if the model was fitted on standardised targets),
     * <pre>
     *   RMSE = sqrt( (1/N) sum_i (y_i - (1/S) sum_s f_si)^2 )
     *   LL   = (1/N) sum_i log( (1/S) sum_s N(y_i; f_si, sigma_s^2) )   (log-sum-exp in log space)
     * </pre>
     *
     * @param predictions f [S][N]
     * @param noiseSd     sigma [S] (one per draw), positive
     * @param y           test targets [N]
     */
    public static Regression regression(double[][] predictions, double[] noiseSd, double[] y) {
        int s = predictions.length, n = y.length;
        if (s == 0 || n == 0 || noiseSd.length != s) throw new IllegalArgumentException("need S > 0 draws with S noise sds and N > 0 targets");
        for (double[] f : predictions) if (f.length != n) throw new IllegalArgumentException("each draw needs N = " + n + " predictions");
        double se = 0, ll = 0;
        double[] lp = new double[s];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (int k = 0; k < s; k++) {
                double sd = noiseSd[k];
                if (!(sd > 0)) throw new IllegalArgumentException("noise sd " + sd + " of draw " + k + " is not positive");
                double z = (y[i] - predictions[k][i]) / sd;
                lp[k] = -0.5 * z * z - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
                mean += predictions[k][i] / s;
            }
            se += (y[i] - mean) * (y[i] - mean);
            ll += logSumExp(lp) - Math.log(s);
        }
        return new Regression(Math.sqrt(se / n), ll / n);
    }

    static double logSigmoid(double a) { return a > 0 ? -Math.log1p(Math.exp(-a)) : a - Math.log1p(Math.exp(a)); }

    static double logSumExp(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) m = Math.max(m, x);
        if (m == Double.NEGATIVE_INFINITY) return m;
        double s = 0;
        for (double x : v) s += Math.exp(x - m);
        return m + Math.log(s);
    }

    private static double dot(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("weights of length " + a.length + " for inputs of length " + b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
