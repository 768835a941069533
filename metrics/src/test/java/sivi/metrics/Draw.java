package sivi.metrics;

import sivi.kernels.Rng;

final class Draw {
    private Draw() {}

    /** n rows of N(mu, sigma^2 I). */
    static double[][] gaussian(int n, double[] mu, double sigma, Rng rng) {
        double[][] x = new double[n][mu.length];
        for (double[] r : x) for (int i = 0; i < mu.length; i++) r[i] = mu[i] + sigma * rng.nextGaussian();
        return x;
    }

    static double[] fill(int d, double v) { double[] a = new double[d]; java.util.Arrays.fill(a, v); return a; }
}
