package sivi.kernels.fused.median;

import sivi.kernels.Backend;
import sivi.kernels.PairMedian;
import sivi.tensor.Tensor;

/**
 * The pairwise median composed from the backend's own distances and median, and a host scan for its first entry;
 * above {@link PairwiseBlocks#WHOLE_MATRIX_LIMIT} entries from the backend's distances of blocks of rows instead
 * (O(N) memory, the same value and entry).
 */
public final class MedianTwin {
    private MedianTwin() {}

    public static PairMedian pairwise(Backend b, Tensor x, Tensor y, boolean l1) {
        int n = x.dim(0), m = y.dim(0);
        if ((long) n * m > PairwiseBlocks.WHOLE_MATRIX_LIMIT)
            return PairwiseBlocks.of((r0, r1, c0) -> distances(b, x.slice(0, r0, r1), c0 == 0 ? y : y.slice(0, c0, m), l1).contiguous(),
                    n, m, x.dtype() == sivi.tensor.DType.F32, x == y, PairwiseBlocks.BLOCK_ENTRIES);
        Tensor d = distances(b, x, y, l1);
        if (d.size() == 0) throw new IllegalArgumentException("pairwiseMedian of an empty distance matrix (" + n + "×" + m + ")");
        return MedianRef.withFirstEntry(d, b.median(d));
    }

    private static Tensor distances(Backend b, Tensor x, Tensor y, boolean l1) { return l1 ? b.l1Dist(x, y) : b.sqDist(x, y); }
}
