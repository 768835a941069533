package sivi.bench;

import java.util.SplittableRandom;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** Setup shared by the benchmark states: seeded inputs, backends by name (single-threaded). */
final class Common {
    private Common() {}

    static Backend backend(String name) { return Backends.create(name, 1); }

    static Tensor rand(String dtype, long seed, double lo, double hi, int... shape) {
        var r = new SplittableRandom(seed);
        double[] v = new double[sivi.tensor.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return Tensor.of(DType.parse(dtype), v, shape);
    }
}
