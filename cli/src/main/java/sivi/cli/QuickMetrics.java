package sivi.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/**
 * Simple sample-quality numbers, used until {@code sivi.metrics} is available (see {@link MetricsReport}):
 * per-parameter means and standard deviations, and against reference draws the largest absolute
 * error of the means and of the standard deviations, and the squared MMD with a Gaussian kernel
 * (unbiased U-statistic, Gretton et al. 2012, eq. 3; bandwidth by the median heuristic on the pooled draws).
 */
final class QuickMetrics implements MetricsReport {
    /** Cap on the draws used for the O(n²) MMD, so eval on a large file stays quick. */
    static final int MMD_MAX = 2000;

    @Override public Map<String, Object> compute(Target target, Tensor draws, Optional<Tensor> reference) {
        double[][] x = draws.cast(sivi.tensor.DType.F64).toMatrix();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("implementation", "sivi.cli.QuickMetrics");
        m.put("n", x.length);
        m.put("mean", Arrays.stream(mean(x)).boxed().toList());
        m.put("sd", Arrays.stream(sd(x)).boxed().toList());
        if (reference.isPresent()) {
            double[][] y = reference.get().cast(sivi.tensor.DType.F64).toMatrix();
            m.put("reference_n", y.length);
            m.put("mean_abs_error_max", maxAbsDiff(mean(x), mean(y)));
            m.put("sd_abs_error_max", maxAbsDiff(sd(x), sd(y)));
            m.put("mmd2_rbf", mmd2(head(x, MMD_MAX), head(y, MMD_MAX)));
        }
        return m;
    }

    static double[] mean(double[][] x) {
        double[] mu = new double[x[0].length];
        for (double[] r : x) for (int j = 0; j < mu.length; j++) mu[j] += r[j] / x.length;
        return mu;
    }

    static double[] sd(double[][] x) {
        double[] mu = mean(x), v = new double[mu.length];
        for (double[] r : x) for (int j = 0; j < mu.length; j++) v[j] += (r[j] - mu[j]) * (r[j] - mu[j]) / Math.max(1, x.length - 1);
        for (int j = 0; j < v.length; j++) v[j] = Math.sqrt(v[j]);
        return v;
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j] - b[j]));
        return m;
    }

    private static double[][] head(double[][] x, int n) { return x.length <= n ? x : Arrays.copyOf(x, n); }

    static double mmd2(double[][] x, double[][] y) {
        double h2 = medianSqDist(x, y);
        double gamma = 1 / Math.max(h2, 1e-12);
        double kxx = 0, kyy = 0, kxy = 0;
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x.length; j++) if (i != j) kxx += Math.exp(-gamma * sq(x[i], x[j]));
        for (int i = 0; i < y.length; i++) for (int j = 0; j < y.length; j++) if (i != j) kyy += Math.exp(-gamma * sq(y[i], y[j]));
        for (double[] a : x) for (double[] b : y) kxy += Math.exp(-gamma * sq(a, b));
        int n = x.length, m = y.length;
        return kxx / ((double) n * (n - 1)) + kyy / ((double) m * (m - 1)) - 2 * kxy / ((double) n * m);
    }

    /** Median of squared distances over a fixed subsample of the pooled draws (deterministic). */
    private static double medianSqDist(double[][] x, double[][] y) {
        int k = Math.min(200, Math.min(x.length, y.length));
        double[][] pool = new double[2 * k][];
        for (int i = 0; i < k; i++) { pool[i] = x[i * x.length / k]; pool[k + i] = y[i * y.length / k]; }
        double[] d = new double[pool.length * (pool.length - 1) / 2];
        int c = 0;
        for (int i = 0; i < pool.length; i++) for (int j = i + 1; j < pool.length; j++) d[c++] = sq(pool[i], pool[j]);
        Arrays.sort(d);
        return d[d.length / 2];
    }

    private static double sq(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += (a[j] - b[j]) * (a[j] - b[j]);
        return s;
    }
}
