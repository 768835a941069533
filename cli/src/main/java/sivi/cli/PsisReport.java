package sivi.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.metrics.Psis;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * PSIS-k̂ of draws from q (Vehtari et al. 2024; docs/algorithms.md#psis) for summary.json and {@code sivi eval}:
 * log ratios log p(x) − log q(x) over the draws, k̂ of their Pareto tail, and the usual reading.
 */
final class PsisReport {
    private PsisReport() {}

    /** psis_khat (null when k̂ = −∞: all ratios equal), psis_reading, psis_draws (those with log p > −∞); logQ has one entry per row of x. */
    static Map<String, Object> of(Target t, Tensor x, double[] logQ) {
        Ratios r = ratios(t, x, logQ);
        return of(Psis.khat(r.logRatios()), r.rows().length);
    }

    /** The log ratios log p − log q of the draws with log p > −∞ (a draw outside p's support has weight 0), and their rows. */
    record Ratios(double[] logRatios, int[] rows) {}

    static Ratios ratios(Target t, Tensor x, double[] logQ) {
        int n = x.dim(0);
        if (logQ.length != n) throw new IllegalArgumentException("log q has " + logQ.length + " values for " + n + " draws");
        double[] lp = GradMode.noGrad(() -> t.logDensity(Ops.constant(x.cast(DType.F64))).value().toDoubleArray());
        int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> lp[i] != Double.NEGATIVE_INFINITY).toArray();
        double[] lr = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            int i = rows[k];
            lr[k] = lp[i] - logQ[i];
            if (!Double.isFinite(lr[k]))
                throw new IllegalArgumentException("PSIS: draw " + (i + 1) + " has log p = " + lp[i] + " and log q = " + logQ[i] + " (the ratio is not finite)");
        }
        return new Ratios(lr, rows);
    }

    /**
     * n draws resampled with replacement from x with the Pareto-smoothed importance weights (Vehtari et al. 2024, §5:
     * sampling-importance-resampling with the smoothed weights), in the order drawn; for k̂ ≥ 0.7 they are not to be trusted.
     */
    static Tensor resample(Target t, Tensor x, double[] logQ, sivi.kernels.Rng rng) {
        Ratios r = ratios(t, x, logQ);
        double[] lw = Psis.smooth(r.logRatios()).logWeights(), cdf = new double[lw.length];
        double max = Double.NEGATIVE_INFINITY, acc = 0;
        for (double v : lw) max = Math.max(max, v);
        for (int k = 0; k < lw.length; k++) cdf[k] = acc += Math.exp(lw[k] - max);
        int n = x.dim(0), d = x.dim(1);
        double[] src = x.toDoubleArray(), out = new double[n * d];
        for (int i = 0; i < n; i++) {
            int k = java.util.Arrays.binarySearch(cdf, rng.nextDouble() * acc);
            k = Math.min(lw.length - 1, k < 0 ? -k - 1 : k);
            System.arraycopy(src, r.rows()[k] * d, out, i * d, d);
        }
        return Tensor.of(x.dtype(), out, n, d);
    }

    /** The fields for a k̂ computed elsewhere (e.g. by multi-path Pathfinder's resampling). */
    static Map<String, Object> of(double khat, int draws) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("psis_khat", Double.isFinite(khat) ? khat : null);
        out.put("psis_reading", reading(khat));
        out.put("psis_draws", draws);
        return out;
    }

    /** The one-line reading printed and stored: "good (k̂ < 0.5)", "usable (0.5 ≤ k̂ < 0.7)", … */
    static String reading(double khat) {
        if (khat == Double.NEGATIVE_INFINITY) return "exact (all importance ratios equal: q = p up to rounding)";
        if (Double.isNaN(khat) || khat == Double.POSITIVE_INFINITY) return "not estimable (too few distinct large ratios)";
        return switch (Psis.reading(khat)) {
            case "good" -> "good (k̂ < 0.5)";
            case "usable" -> "usable (0.5 ≤ k̂ < 0.7)";
            default -> "unreliable (k̂ ≥ 0.7: q misses mass of p; importance-weighted estimates are not to be trusted)";
        };
    }
}
