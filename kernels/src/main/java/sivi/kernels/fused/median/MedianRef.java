package sivi.kernels.fused.median;

import java.util.Arrays;
import sivi.kernels.PairMedian;
import sivi.kernels.fused.pairwise.PairwiseRef;
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

    /** The lower median of the oracle's distances (squared Euclidean, or L1 when l1) and its first entry (by sorting; by blocks above {@link PairwiseBlocks#WHOLE_MATRIX_LIMIT} entries). */
    public static PairMedian pairwise(Tensor x, Tensor y, boolean l1) {
        int n = x.dim(0), m = y.dim(0);
        if ((long) n * m > PairwiseBlocks.WHOLE_MATRIX_LIMIT)   // the oracle's own distances, by blocks of rows: O(N) memory
            return PairwiseBlocks.of((r0, r1, c0) -> {
                Tensor xs = x.slice(0, r0, r1), ys = c0 == 0 ? y : y.slice(0, c0, m);
                return (l1 ? PairwiseRef.l1Dist(xs, ys) : PairwiseRef.sqDist(xs, ys)).contiguous();
            }, n, m, x.dtype() == DType.F32, x == y, PairwiseBlocks.BLOCK_ENTRIES);
        Tensor d = l1 ? PairwiseRef.l1Dist(x, y) : PairwiseRef.sqDist(x, y);
        if (d.size() == 0) throw new IllegalArgumentException("pairwiseMedian of an empty distance matrix (" + x.dim(0) + "×" + y.dim(0) + ")");
        return withFirstEntry(d, lowerMedian(d));
    }

    /** value with the first entry (row-major) of the N×M matrix d equal to it; (−1, −1) when none is (NaN). */
    public static PairMedian withFirstEntry(Tensor d, double value) {
        double[] v = d.toDoubleArray();
        int m = d.dim(1);
        for (int i = 0; i < v.length; i++) if (v[i] == value) return new PairMedian(value, i / m, i % m);
        return new PairMedian(value, -1, -1);
    }
}
