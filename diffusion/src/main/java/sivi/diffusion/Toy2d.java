package sivi.diffusion;

import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The 2-D toy data sets in the FFJORD conventions (Grathwohl et al. 2019, {@code lib/toy_data.py}),
 * exactly as specified in docs/targets.md#diffusion-toy-data.
 */
public enum Toy2d {
    /** t = 1.5π(1 + 2U); point (t·cos t + ε₁, t·sin t + ε₂)/5 with ε ~ N(0, I). */
    SWISSROLL,
    /** centre c uniform among the 8 unit vectors at angles kπ/4; point (4c + 0.5·N(0, I))/1.414. */
    EIGHT_GAUSSIANS,
    /** x₁ ~ U[−2, 2); x₂ = U[0, 1) − 2B + (⌊x₁⌋ mod 2), B ~ Bernoulli(½); point 2·(x₁, x₂). */
    CHECKERBOARD;

    public String label() {
        return switch (this) { case SWISSROLL -> "swissroll"; case EIGHT_GAUSSIANS -> "8gaussians"; case CHECKERBOARD -> "checkerboard"; };
    }

    public static Toy2d parse(String s) {
        for (Toy2d d : values()) if (d.label().equalsIgnoreCase(s)) return d;
        throw new IllegalArgumentException("unknown 2-D data set '" + s + "' (accepted: swissroll, 8gaussians, checkerboard)");
    }

    /** n points as an n×2 array. */
    public double[][] sample(Rng rng, int n) {
        double[][] out = new double[n][2];
        for (int i = 0; i < n; i++) {
            switch (this) {
                case SWISSROLL -> {
                    double t = 1.5 * Math.PI * (1 + 2 * rng.nextDouble());
                    out[i][0] = (t * Math.cos(t) + rng.nextGaussian()) / 5;
                    out[i][1] = (t * Math.sin(t) + rng.nextGaussian()) / 5;
                }
                case EIGHT_GAUSSIANS -> {
                    double a = rng.nextInt(8) * Math.PI / 4;
                    out[i][0] = (4 * Math.cos(a) + 0.5 * rng.nextGaussian()) / 1.414;
                    out[i][1] = (4 * Math.sin(a) + 0.5 * rng.nextGaussian()) / 1.414;
                }
                case CHECKERBOARD -> {
                    double x1 = -2 + 4 * rng.nextDouble();
                    double b = rng.nextDouble() < 0.5 ? 1 : 0;
                    double x2 = rng.nextDouble() - 2 * b + Math.floorMod((long) Math.floor(x1), 2L);
                    out[i][0] = 2 * x1;
                    out[i][1] = 2 * x2;
                }
            }
        }
        return out;
    }

    public Tensor sampleTensor(Rng rng, int n, DType dt) { return Arrays2.toTensor(sample(rng, n), dt); }
}
