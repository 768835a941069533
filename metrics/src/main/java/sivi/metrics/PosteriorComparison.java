package sivi.metrics;

import sivi.kernels.Rng;

/**
 * How far approximate draws are from reference draws of a posterior, on the reference's own scale
 * (as the Pathfinder paper, Zhang et al. 2022 JMLR §4, scores VI methods on posteriordb): every
 * coordinate is standardised by the reference mean and sd first, so the numbers are unit-free and
 * comparable across posteriors.
 *
 * @param zMeanMax      max over coordinates of |mean − ref mean| / ref sd
 * @param sdRatioWorst  the ratio sd / ref sd furthest from 1 on a log scale (0.5 and 2 are equally bad)
 * @param w1MarginalMax  max over coordinates of the exact 1-Wasserstein distance between the standardised marginals
 * @param w1MarginalMean mean over coordinates of the same
 * @param w1Sliced      sliced 1-Wasserstein distance between the standardised draws ({@value #PROJECTIONS} directions, fixed seed)
 */
public record PosteriorComparison(double zMeanMax, double sdRatioWorst, double w1MarginalMax, double w1MarginalMean, double w1Sliced) {

    public static final int PROJECTIONS = 100;
    public static final long SEED = 20221;

    /** Draws and reference as rows × coordinates; the reference needs ≥ 2 rows and no constant coordinate. */
    public static PosteriorComparison of(double[][] draws, double[][] reference) {
        int d = Samples.dim(reference, "reference");
        if (Samples.dim(draws, "draws") != d) throw new IllegalArgumentException("draws have " + draws[0].length + " coordinates, the reference " + d);
        if (reference.length < 2) throw new IllegalArgumentException("the reference needs at least 2 draws");
        double[] mean = new double[d], sd = new double[d];
        for (int j = 0; j < d; j++) {
            double m = 0, v = 0;
            for (double[] r : reference) m += r[j];
            m /= reference.length;
            for (double[] r : reference) v += (r[j] - m) * (r[j] - m);
            mean[j] = m;
            sd[j] = Math.sqrt(v / (reference.length - 1));
            if (!(sd[j] > 0)) throw new IllegalArgumentException("reference coordinate " + j + " is constant: nothing to standardise by");
        }
        double[][] zx = standardise(draws, mean, sd), zr = standardise(reference, mean, sd);
        double zMax = 0, worstLog = 0, worst = 1, w1Max = 0, w1Sum = 0;
        double[] a = new double[zx.length], b = new double[zr.length];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < zx.length; i++) a[i] = zx[i][j];
            for (int i = 0; i < zr.length; i++) b[i] = zr[i][j];
            double m = 0, v = 0;
            for (double x : a) m += x;
            m /= a.length;
            for (double x : a) v += (x - m) * (x - m);
            double ratio = a.length > 1 ? Math.sqrt(v / (a.length - 1)) : 0;   // reference sd is 1 after standardising
            zMax = Math.max(zMax, Math.abs(m));
            if (!(Math.abs(Math.log(ratio)) <= worstLog)) { worstLog = Math.abs(Math.log(ratio)); worst = ratio; }
            double w = SlicedWasserstein.w1(a, b);
            w1Max = Math.max(w1Max, w);
            w1Sum += w;
        }
        double sliced = SlicedWasserstein.distance1(zx, zr, PROJECTIONS, new Rng(SEED));
        return new PosteriorComparison(zMax, worst, w1Max, w1Sum / d, sliced);
    }

    private static double[][] standardise(double[][] x, double[] mean, double[] sd) {
        double[][] z = new double[x.length][mean.length];
        for (int i = 0; i < x.length; i++) for (int j = 0; j < mean.length; j++) z[i][j] = (x[i][j] - mean[j]) / sd[j];
        return z;
    }
}
