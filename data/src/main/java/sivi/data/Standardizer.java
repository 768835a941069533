package sivi.data;

/**
 * Column standardisation x' = (x - mean) / sd with mean and sd (denominator n - 1) estimated from
 * training rows only, then applied unchanged to test rows. A column with sd = 0 (e.g. an intercept)
 * is left as it is (mean 0, sd 1 recorded), so that it keeps its meaning. A column whose plain sums
 * overflow (values near 1e308) is done again scaled by its largest magnitude, so the result stays
 * finite; ordinary columns take the plain sums, unchanged.
 */
public record Standardizer(double[] mean, double[] sd) {

    public static Standardizer fit(double[][] train) {
        if (train.length < 2) throw new DataException("standardisation needs at least 2 training rows, got " + train.length);
        int d = train[0].length;
        double[] mean = new double[d], sd = new double[d];
        for (double[] row : train) for (int j = 0; j < d; j++) mean[j] += row[j];
        for (int j = 0; j < d; j++) mean[j] /= train.length;
        for (double[] row : train) for (int j = 0; j < d; j++) sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j] / (train.length - 1));
            if (!Double.isFinite(mean[j]) || !Double.isFinite(sd[j])) scaled(train, j, mean, sd);
            if (sd[j] == 0) { mean[j] = 0; sd[j] = 1; }
        }
        return new Standardizer(mean, sd);
    }

    /** Column j's mean and sd from values divided by the column's largest magnitude s (then times s): no overflow. */
    private static void scaled(double[][] train, int j, double[] mean, double[] sd) {
        double s = 0, m = 0, v = 0;
        for (double[] row : train) s = Math.max(s, Math.abs(row[j]));
        for (double[] row : train) m += row[j] / s;
        m /= train.length;
        for (double[] row : train) v += (row[j] / s - m) * (row[j] / s - m);
        mean[j] = m * s;
        sd[j] = Math.sqrt(v / (train.length - 1)) * s;
    }

    /** New rows (x - mean) / sd. */
    public double[][] apply(double[][] x) {
        double[][] out = new double[x.length][];
        for (int r = 0; r < x.length; r++) out[r] = apply(x[r]);
        return out;
    }

    public double[] apply(double[] row) {
        if (row.length != mean.length) throw new DataException("row of length " + row.length + ", standardizer fitted on " + mean.length + " columns");
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) out[j] = (row[j] - mean[j]) / sd[j];
        return out;
    }
}
