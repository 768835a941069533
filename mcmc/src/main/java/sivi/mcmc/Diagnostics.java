package sivi.mcmc;

import java.util.Arrays;
import java.util.Comparator;
import sivi.metrics.Special;

/**
 * Convergence diagnostics for one scalar quantity over several chains, input [chains][draws],
 * following Vehtari, Gelman, Simpson, Carpenter &amp; Bürkner (2021), "Rank-normalization, folding,
 * and localization: an improved R-hat", Bayesian Analysis 16(2):
 * <ul>
 *   <li>chains are split in halves (the middle draw dropped if the length is odd), giving M chains of N;</li>
 *   <li>rank normalisation: z = Phi^-1((r - 3/8) / (S + 1/4)), r the pooled rank (ties averaged), S = M N;</li>
 *   <li>R-hat = sqrt(var+ / W), var+ = (N-1)/N W + B/N, W the mean within-chain variance, B/N the
 *       variance of the chain means (eq. 3-4); the reported {@link #rhat} is the maximum of the bulk
 *       (rank-normalised) and tail (rank-normalised |x - median|) values;</li>
 *   <li>ESS = M N / tau, tau = -1 + 2 sum_t rho_t with rho_t = 1 - (W - mean_m acov_{m,t}) / var+
 *       (eq. 10), summed over Geyer's (1992) initial positive and monotone sequence of pair sums
 *       rho_{2k} + rho_{2k+1}, with Stan's lower bound tau &gt;= 1 / log10(M N).</li>
 * </ul>
 */
public final class Diagnostics {
    private Diagnostics() {}

    /** Rank-normalised split R-hat: max(bulk, tail) (Vehtari et al. 2021, section 4.2). */
    public static double rhat(double[][] chains) {
        double[][] split = split(chains);
        double bulk = rhatOf(rankNormalise(split));
        double tail = rhatOf(rankNormalise(fold(split)));
        return Math.max(bulk, tail);
    }

    /** Classic split R-hat on the raw draws (Gelman et al., BDA3 section 11.4). */
    public static double splitRhat(double[][] chains) { return rhatOf(split(chains)); }

    /** Bulk ESS: ESS of the rank-normalised split chains. */
    public static double essBulk(double[][] chains) { return essOf(rankNormalise(split(chains))); }

    /** ESS of the raw split chains: the one that sets the Monte Carlo error sd/sqrt(ESS) of the mean. */
    public static double essMean(double[][] chains) { return essOf(split(chains)); }

    /**
     * Energy Bayesian fraction of missing information of one chain (Betancourt 2016, "Diagnosing
     * suboptimal cotangent disintegrations in HMC", eq. 7 as Stan estimates it):
     * Σ_n (E_n − E_{n−1})² / Σ_n (E_n − Ē)². Below 0.3 the momentum resampling explores the energy
     * distribution poorly (heavy tails, funnels). NaN with fewer than 2 draws or constant energy.
     */
    public static double ebfmi(double[] energy) {
        if (energy.length < 2) return Double.NaN;
        double mean = 0;
        for (double e : energy) mean += e / energy.length;
        double num = 0, den = 0;
        for (int n = 0; n < energy.length; n++) {
            if (n > 0) num += (energy[n] - energy[n - 1]) * (energy[n] - energy[n - 1]);
            den += (energy[n] - mean) * (energy[n] - mean);
        }
        return den > 0 ? num / den : Double.NaN;
    }

    /**
     * Tail ESS (Vehtari et al. 2021, section 4.3): the smaller of the ESS of the indicators
     * I(x ≤ q_0.05) and I(x ≤ q_0.95) over split chains, with the quantiles of the pooled draws
     * (R's type 7, as ArviZ and posterior compute them).
     */
    public static double essTail(double[][] chains) {
        double[] sorted = Arrays.stream(chains).flatMapToDouble(Arrays::stream).sorted().toArray();
        return Math.min(essOf(split(indicator(chains, quantile7(sorted, 0.05)))), essOf(split(indicator(chains, quantile7(sorted, 0.95)))));
    }

    /** Monte Carlo standard error of the mean: sd (n − 1) / √(mean ESS). */
    public static double mcseMean(double[][] chains) {
        double[] flat = Arrays.stream(chains).flatMapToDouble(Arrays::stream).toArray();
        double m = mean(flat);
        return Math.sqrt(variance(flat, m)) / Math.sqrt(essMean(chains));
    }

    /**
     * Monte Carlo standard error of the sd, by the delta method on the variance as ArviZ computes it:
     * with c = (x − x̄)², Var̂(var) = (mean(c²) − mean(c)²) / ESS_mean(c) and se(sd) = √(Var̂(var) / (4 mean(c))).
     */
    public static double mcseSd(double[][] chains) {
        double[] flat = Arrays.stream(chains).flatMapToDouble(Arrays::stream).toArray();
        double m = mean(flat);
        double[][] c2 = new double[chains.length][];
        for (int c = 0; c < chains.length; c++) {
            c2[c] = chains[c].clone();
            for (int t = 0; t < c2[c].length; t++) c2[c][t] = (c2[c][t] - m) * (c2[c][t] - m);
        }
        double[] flat2 = Arrays.stream(c2).flatMapToDouble(Arrays::stream).toArray();
        double evar = mean(flat2), e4 = 0;
        for (double v : flat2) e4 += v * v / flat2.length;
        double varvar = (e4 - evar * evar) / essMean(c2);
        return Math.sqrt(varvar / evar / 4);
    }

    /** R's type-7 quantile of sorted values: linear between order statistics at h = (n − 1) p. */
    static double quantile7(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
    }

    private static double[][] indicator(double[][] chains, double q) {
        double[][] out = new double[chains.length][];
        for (int c = 0; c < chains.length; c++) {
            out[c] = new double[chains[c].length];
            for (int t = 0; t < out[c].length; t++) out[c][t] = chains[c][t] <= q ? 1 : 0;
        }
        return out;
    }

    /** Per-coordinate rank-normalised R-hat of a run. */
    public static double[] rhat(McmcResult r) {
        double[] out = new double[r.dim()];
        for (int i = 0; i < out.length; i++) out[i] = rhat(r.coordinate(i));
        return out;
    }

    /** Per-coordinate bulk ESS of a run. */
    public static double[] essBulk(McmcResult r) {
        double[] out = new double[r.dim()];
        for (int i = 0; i < out.length; i++) out[i] = essBulk(r.coordinate(i));
        return out;
    }

    /** Per-coordinate mean ESS of a run. */
    public static double[] essMean(McmcResult r) {
        double[] out = new double[r.dim()];
        for (int i = 0; i < out.length; i++) out[i] = essMean(r.coordinate(i));
        return out;
    }

    /** Per-coordinate tail ESS, MCSE of the mean and MCSE of the sd of a run. */
    public static double[] essTail(McmcResult r) { return perCoordinate(r, Diagnostics::essTail); }

    public static double[] mcseMean(McmcResult r) { return perCoordinate(r, Diagnostics::mcseMean); }

    public static double[] mcseSd(McmcResult r) { return perCoordinate(r, Diagnostics::mcseSd); }

    private static double[] perCoordinate(McmcResult r, java.util.function.ToDoubleFunction<double[][]> f) {
        double[] out = new double[r.dim()];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(r.coordinate(i));
        return out;
    }

    static double[][] split(double[][] chains) {
        int n = chains[0].length;
        for (double[] c : chains) if (c.length != n) throw new IllegalArgumentException("chains of unequal length");
        if (n < 4) throw new IllegalArgumentException("need at least 4 draws per chain, got " + n);
        int half = n / 2;
        double[][] out = new double[2 * chains.length][];
        for (int c = 0; c < chains.length; c++) {
            out[2 * c] = Arrays.copyOfRange(chains[c], 0, half);
            out[2 * c + 1] = Arrays.copyOfRange(chains[c], n - half, n);
        }
        return out;
    }

    /** z = Phi^-1((r - 3/8) / (S + 1/4)) with pooled average ranks r (Blom 1958, as in Vehtari et al. eq. 14). */
    static double[][] rankNormalise(double[][] chains) {
        int m = chains.length, n = chains[0].length, s = m * n;
        Integer[] idx = new Integer[s];
        double[] flat = new double[s];
        for (int c = 0; c < m; c++) System.arraycopy(chains[c], 0, flat, c * n, n);
        for (int k = 0; k < s; k++) idx[k] = k;
        Arrays.sort(idx, Comparator.comparingDouble(k -> flat[k]));
        double[] rank = new double[s];
        for (int a = 0; a < s; ) {
            int b = a;
            while (b + 1 < s && flat[idx[b + 1]] == flat[idx[a]]) b++;
            double r = 0.5 * (a + b) + 1; // average of 1-based ranks a+1..b+1
            for (int k = a; k <= b; k++) rank[idx[k]] = r;
            a = b + 1;
        }
        double[][] z = new double[m][n];
        for (int c = 0; c < m; c++)
            for (int t = 0; t < n; t++) z[c][t] = Special.normalQuantile((rank[c * n + t] - 0.375) / (s + 0.25));
        return z;
    }

    /** |x - median(x)| over the pooled draws (the folding of Vehtari et al. section 4.2). */
    static double[][] fold(double[][] chains) {
        double[] flat = Arrays.stream(chains).flatMapToDouble(Arrays::stream).sorted().toArray();
        int s = flat.length;
        double med = s % 2 == 1 ? flat[s / 2] : 0.5 * (flat[s / 2 - 1] + flat[s / 2]);
        double[][] out = new double[chains.length][];
        for (int c = 0; c < chains.length; c++) {
            out[c] = chains[c].clone();
            for (int t = 0; t < out[c].length; t++) out[c][t] = Math.abs(out[c][t] - med);
        }
        return out;
    }

    static double rhatOf(double[][] chains) {
        int m = chains.length, n = chains[0].length;
        double[] mean = new double[m], var = new double[m];
        for (int c = 0; c < m; c++) { mean[c] = mean(chains[c]); var[c] = variance(chains[c], mean[c]); }
        double w = mean(var), bOverN = variance(mean, mean(mean));
        double varPlus = (n - 1.0) / n * w + bOverN;
        return Math.sqrt(varPlus / w);
    }

    static double essOf(double[][] chains) {
        int m = chains.length, n = chains[0].length;
        double[] mean = new double[m], chainVar = new double[m];
        for (int c = 0; c < m; c++) { mean[c] = mean(chains[c]); chainVar[c] = variance(chains[c], mean[c]); }
        double meanVar = mean(chainVar);
        double varPlus = meanVar * (n - 1.0) / n + (m > 1 ? variance(mean, mean(mean)) : 0);
        if (!(varPlus > 0)) return Double.NaN; // constant chains
        double[] rho = new double[n + 1];
        rho[0] = 1;
        double rhoEven = 1, rhoOdd = 1 - (meanVar - meanAutocov(chains, mean, 1)) / varPlus;
        rho[1] = rhoOdd;
        // Geyer's initial positive sequence over lag pairs (t + 1, t + 2), t odd, up to lag n − 2 (as Stan and ArviZ:
        // with chains far apart the pairs stay positive and this bound is what truncates the sum)
        int t = 1;
        while (t < n - 3 && rhoEven + rhoOdd > 0) {
            rhoEven = 1 - (meanVar - meanAutocov(chains, mean, t + 1)) / varPlus;
            rhoOdd = 1 - (meanVar - meanAutocov(chains, mean, t + 2)) / varPlus;
            if (rhoEven + rhoOdd >= 0) { rho[t + 1] = rhoEven; rho[t + 2] = rhoOdd; }
            t += 2;
        }
        int maxT = t - 2;
        if (rhoEven > 0) rho[maxT + 1] = rhoEven; // Stan: improves the estimate for antithetic chains
        // Geyer's initial monotone sequence on the pair sums.
        for (int k = 1; k <= maxT - 2; k += 2) {
            if (rho[k + 1] + rho[k + 2] > rho[k - 1] + rho[k]) {
                rho[k + 1] = (rho[k - 1] + rho[k]) / 2;
                rho[k + 2] = rho[k + 1];
            }
        }
        double sum = 0;
        for (int k = 0; k <= maxT; k++) sum += rho[k];
        double s = (double) m * n;
        double tau = -1 + 2 * sum + rho[maxT + 1];
        tau = Math.max(tau, 1 / Math.log10(s));
        return s / tau;
    }

    /** mean over chains of the biased (1/N) autocovariance at lag t. */
    private static double meanAutocov(double[][] chains, double[] mean, int lag) {
        double total = 0;
        for (int c = 0; c < chains.length; c++) {
            double[] x = chains[c];
            int n = x.length;
            double acc = 0;
            for (int k = 0; k + lag < n; k++) acc += (x[k] - mean[c]) * (x[k + lag] - mean[c]);
            total += acc / n;
        }
        return total / chains.length;
    }

    private static double mean(double[] x) { double s = 0; for (double v : x) s += v; return s / x.length; }

    private static double variance(double[] x, double mean) {
        double s = 0;
        for (double v : x) s += (v - mean) * (v - mean);
        return s / (x.length - 1);
    }
}
