package sivi.metrics;

/**
 * Errors of the marginal moments of a sample against a reference: per coordinate the mean and the
 * sd (denominator n - 1), and the Pearson correlation of every pair i &lt; j. For each group the
 * maximum and the root-mean-square of the absolute errors are reported. A 1-d sample has no
 * correlations; then both correlation errors are 0.
 */
public record MomentErrors(double meanMax, double meanRms, double sdMax, double sdRms, double corrMax, double corrRms) {

    /** Errors of {@code sample} against the moments of {@code reference} (both rows = draws). */
    public static MomentErrors of(double[][] sample, double[][] reference) {
        Moments r = Moments.of(reference);
        return of(sample, r.mean, r.sd, r.corr);
    }

    /** Errors against exact moments: mean[d], sd[d], corr[d][d] (only i &lt; j entries are read). */
    public static MomentErrors of(double[][] sample, double[] mean, double[] sd, double[][] corr) {
        Moments s = Moments.of(sample);
        int d = s.mean.length;
        if (mean.length != d || sd.length != d || corr.length != d) throw new IllegalArgumentException("reference moments of the wrong dimension");
        double[] em = new double[d], es = new double[d], ec = new double[Math.max(0, d * (d - 1) / 2)];
        for (int i = 0, k = 0; i < d; i++) {
            em[i] = Math.abs(s.mean[i] - mean[i]);
            es[i] = Math.abs(s.sd[i] - sd[i]);
            for (int j = i + 1; j < d; j++) ec[k++] = Math.abs(s.corr[i][j] - corr[i][j]);
        }
        return new MomentErrors(max(em), rms(em), max(es), rms(es), max(ec), rms(ec));
    }

    /** Sample mean, sd and correlation matrix. */
    public record Moments(double[] mean, double[] sd, double[][] corr) {
        public static Moments of(double[][] x) {
            int n = x.length, d = Samples.dim(x, "sample");
            if (n < 2) throw new IllegalArgumentException("need at least 2 draws");
            double[] mean = new double[d];
            for (double[] r : x) for (int i = 0; i < d; i++) mean[i] += r[i] / n;
            double[][] cov = new double[d][d];
            for (double[] r : x)
                for (int i = 0; i < d; i++) for (int j = i; j < d; j++) cov[i][j] += (r[i] - mean[i]) * (r[j] - mean[j]) / (n - 1);
            double[] sd = new double[d];
            for (int i = 0; i < d; i++) sd[i] = Math.sqrt(cov[i][i]);
            double[][] corr = new double[d][d];
            for (int i = 0; i < d; i++)
                for (int j = i; j < d; j++) { corr[i][j] = cov[i][j] / (sd[i] * sd[j]); corr[j][i] = corr[i][j]; }
            return new Moments(mean, sd, corr);
        }
    }

    private static double max(double[] v) { double m = 0; for (double x : v) m = Math.max(m, x); return m; }

    private static double rms(double[] v) {
        if (v.length == 0) return 0;
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s / v.length);
    }
}
