package sivi.metrics;

import java.util.Arrays;

/**
 * Pareto smoothed importance sampling (Vehtari, Simpson, Gelman, Yao &amp; Gabry, JMLR 2024;
 * docs/algorithms.md#psis). Given log importance ratios r_s = log p(x_s) − log q(x_s), x_s ~ q:
 * <ul>
 * <li>the tail is the M = ⌈min(S/5, 3√S)⌉ largest ratios; exceedances w − u over the threshold
 *     u = exp(r_(S−M)) (ratios shifted by their maximum) are fitted by a generalized Pareto
 *     distribution with the Zhang &amp; Stephens (2009) estimator: m = 30 + ⌊√M⌋ grid points
 *     θ_j = 1/x_(M) + (1 − √(m/(j − ½))) / (3 x_(⌊M/4 + ½⌋)), profile log likelihood
 *     ℓ(θ) = M (log(−θ/k(θ)) − k(θ) − 1) with k(θ) = mean log(1 − θx), posterior-mean θ̂, k̂ = k(θ̂), σ̂ = −k̂/θ̂;</li>
 * <li>then the weakly informative prior of the paper: k̂ ← (M k̂ + 10 · ½) / (M + 10);</li>
 * <li>smoothed weights: the tail replaced by the GPD quantiles at (i − ½)/M, truncated at the largest raw ratio.</li>
 * </ul>
 * Reading (the paper, §3): k̂ &lt; 0.5 good, k̂ &lt; 0.7 usable (for S large enough), above 0.7 the estimate is unreliable.
 */
public final class Psis {
    private Psis() {}

    /** k̂, the GPD scale σ̂ on the shifted scale, the tail length, and normalised log weights (smoothed). */
    public record Result(double khat, double sigma, int tail, double[] logWeights) {
        /** The usual reading of k̂. */
        public String reading() { return Psis.reading(khat); }
    }

    /** "good" (k̂ &lt; 0.5), "usable" (k̂ &lt; 0.7), "unreliable" otherwise. */
    public static String reading(double khat) { return khat < 0.5 ? "good" : khat < 0.7 ? "usable" : "unreliable"; }

    /**
     * PSIS of S ≥ 10 finite log ratios. Ratios that are all equal make the weights exactly uniform:
     * k̂ = −∞ (importance sampling is exact) and no smoothing.
     */
    public static Result smooth(double[] logRatios) {
        int s = logRatios.length;
        if (s < 10) throw new IllegalArgumentException("PSIS needs at least 10 draws, got " + s);
        double max = Double.NEGATIVE_INFINITY;
        for (double r : logRatios) {
            if (!Double.isFinite(r)) throw new IllegalArgumentException("PSIS: a log importance ratio is not finite (" + r + ")");
            max = Math.max(max, r);
        }
        double[] lw = new double[s];
        for (int i = 0; i < s; i++) lw[i] = logRatios[i] - max;
        Integer[] order = new Integer[s];
        for (int i = 0; i < s; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(lw[a], lw[b]));
        int m = (int) Math.ceil(Math.min(0.2 * s, 3 * Math.sqrt(s)));
        double cutoff = Math.max(lw[order[s - m - 1]], Math.log(Double.MIN_NORMAL));
        // the tail: ratios strictly above the cutoff (ties at the cutoff stay in the body)
        int first = s;
        while (first > 0 && lw[order[first - 1]] > cutoff) first--;
        int tail = s - first;
        double khat, sigma = Double.NaN;
        if (tail == 0) khat = Double.NEGATIVE_INFINITY;      // all ratios equal to the cutoff: constant weights
        else if (tail <= 4) khat = Double.POSITIVE_INFINITY; // too few to fit: no smoothing, flagged
        else {
            double expCut = Math.exp(cutoff);
            double[] x = new double[tail];
            for (int i = 0; i < tail; i++) x[i] = Math.exp(lw[order[first + i]]) - expCut;
            double[] fit = gpdFit(x);
            khat = fit[0];
            sigma = fit[1];
            if (Double.isFinite(khat)) {
                for (int i = 0; i < tail; i++) {
                    double q = gpdQuantile((i + 0.5) / tail, khat, sigma);
                    lw[order[first + i]] = Math.min(0, Math.log(q + expCut));
                }
            }
        }
        double lse = logSumExp(lw);
        for (int i = 0; i < s; i++) lw[i] -= lse;
        return new Result(khat, sigma, tail, lw);
    }

    /** k̂ only. */
    public static double khat(double[] logRatios) { return smooth(logRatios).khat(); }

    /**
     * Zhang &amp; Stephens (2009) estimate of the generalized Pareto (k, σ) from positive exceedances
     * sorted ascending, with the prior on k of Vehtari et al. (2024): weight 10 toward ½. Returns {k, σ}.
     */
    static double[] gpdFit(double[] x) {
        int n = x.length;
        int m = 30 + (int) Math.sqrt(n);
        double xq = x[(int) (n / 4.0 + 0.5) - 1], xmax = x[n - 1];
        double[] theta = new double[m], ell = new double[m];
        for (int j = 0; j < m; j++) {
            theta[j] = 1 / xmax + (1 - Math.sqrt(m / (j + 0.5))) / (3 * xq);
            double k = meanLog1m(theta[j], x);
            ell[j] = n * (Math.log(-theta[j] / k) - k - 1);
        }
        // posterior weights w_j = 1 / Σ_i exp(ℓ_i − ℓ_j); negligible ones dropped as in the paper's reference code
        double[] w = new double[m];
        double total = 0;
        for (int j = 0; j < m; j++) {
            double sum = 0;
            for (int i = 0; i < m; i++) sum += Math.exp(ell[i] - ell[j]);
            w[j] = 1 / sum;
            if (!(w[j] >= 10 * Math.ulp(1.0))) w[j] = 0;
            total += w[j];
        }
        double thetaHat = 0;
        for (int j = 0; j < m; j++) thetaHat += theta[j] * w[j] / total;
        double k = meanLog1m(thetaHat, x);
        double sigma = -k / thetaHat;
        k = (n * k + 10 * 0.5) / (n + 10);
        if (!Double.isFinite(k)) return new double[] {Double.POSITIVE_INFINITY, Double.NaN};
        return new double[] {k, sigma};
    }

    /** mean_i log(1 − θ x_i). */
    private static double meanLog1m(double theta, double[] x) {
        double s = 0;
        for (double v : x) s += Math.log1p(-theta * v);
        return s / x.length;
    }

    /** The GPD(k, σ) quantile at p: σ((1 − p)^{−k} − 1)/k, −σ log(1 − p) at k = 0. */
    static double gpdQuantile(double p, double k, double sigma) {
        if (Math.abs(k) < 1e-12) return -sigma * Math.log1p(-p);
        return sigma * Math.expm1(-k * Math.log1p(-p)) / k;
    }

    private static double logSumExp(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double e : v) m = Math.max(m, e);
        double s = 0;
        for (double e : v) s += Math.exp(e - m);
        return m + Math.log(s);
    }
}
