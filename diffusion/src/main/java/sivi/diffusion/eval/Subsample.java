package sivi.diffusion.eval;

import sivi.kernels.Rng;

final class Subsample {
    private Subsample() {}

    /** At most max rows, a uniformly random subset without replacement (all rows when fewer). */
    static double[][] rows(double[][] a, int max, Rng rng) {
        if (a.length <= max) return a;
        int[] idx = new int[a.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        for (int i = 0; i < max; i++) { int j = i + rng.nextInt(idx.length - i); int t = idx[i]; idx[i] = idx[j]; idx[j] = t; }
        double[][] out = new double[max][];
        for (int i = 0; i < max; i++) out[i] = a[idx[i]];
        return out;
    }
}
