package sivi.nn;

import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * PyTorch's default initialisation of {@code nn.Linear}, so reference recipes transfer:
 * weight ~ U(−1/√fan_in, 1/√fan_in) (Kaiming-uniform with a = √5), bias ~ U(−1/√fan_in, 1/√fan_in).
 */
public final class Init {
    private Init() {}

    public static Tensor uniform(Rng rng, DType dt, double bound, int... shape) {
        int n = sivi.tensor.Shapes.size(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (2 * rng.nextDouble() - 1) * bound;
        return Tensor.of(dt, v, shape);
    }

    /** Linear weight stored as in×out (we compute x W), bound 1/√in. */
    public static Tensor linearWeight(Rng rng, DType dt, int in, int out) { return uniform(rng, dt, in == 0 ? 0 : 1 / Math.sqrt(in), in, out); }

    public static Tensor linearBias(Rng rng, DType dt, int in, int out) { return uniform(rng, dt, in == 0 ? 0 : 1 / Math.sqrt(in), out); }
}
