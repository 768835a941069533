package sivi.kernels.fused.median;

import java.util.Arrays;
import sivi.kernels.PairMedian;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The lower median of all elements, by sorting a copy. Also the twin (no composite of primitives selects): exact.
 * The oracle: the most obvious loops, all arithmetic in double, one rounding to the output dtype at the end; never optimised.
 */
public final class MedianRef {
    private MedianRef() {}

    private static Tensor out(DType dt, double[] v, int... shape) { return Tensor.of(dt, v, shape); }

    public static double lowerMedian(Tensor x) {
        double[] v = x.toDoubleArray();
        if (v.length == 0) throw new IllegalArgumentException("median of an empty tensor");
        Arrays.sort(v); // the oracle may sort; fast backends select
        return v[(v.length - 1) / 2];
    }

    /** value with the first entry (row-major) of the N×M matrix d equal to it; (−1, −1) when none is (NaN). */
    public static PairMedian withFirstEntry(Tensor d, double value) {
        double[] v = d.toDoubleArray();
        int m = d.dim(1);
        for (int i = 0; i < v.length; i++) if (v[i] == value) return new PairMedian(value, i / m, i % m);
        return new PairMedian(value, -1, -1);
    }
}
