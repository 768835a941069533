package sivi.kernels.fused.median;

import sivi.kernels.Backend;
import sivi.kernels.PairMedian;
import sivi.tensor.Tensor;

/** The pairwise median composed from the backend's own distances and median, and a host scan for its first entry. */
public final class MedianTwin {
    private MedianTwin() {}

    public static PairMedian pairwise(Backend b, Tensor x, Tensor y, boolean l1) {
        Tensor d = l1 ? b.l1Dist(x, y) : b.sqDist(x, y);
        if (d.size() == 0) throw new IllegalArgumentException("pairwiseMedian of an empty distance matrix (" + x.dim(0) + "×" + y.dim(0) + ")");
        return MedianRef.withFirstEntry(d, b.median(d));
    }
}
