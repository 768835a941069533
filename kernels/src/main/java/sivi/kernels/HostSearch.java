package sivi.kernels;

import sivi.kernels.simd.FirstMatchF32;
import sivi.kernels.simd.FirstMatchF64;

/** Searches of host arrays that callers above the kernels need, without naming a SIMD class. */
public final class HostSearch {
    private HostSearch() {}

    /** Smallest i in [0, n) with a[off + i] == v (IEEE equality: never NaN, 0.0 == −0.0), else −1. Vectorised. */
    public static int firstMatch(float[] a, int off, int n, float v) {
        if (VectorApi.PRESENT) return FirstMatchF32.of(a, off, n, v);
        for (int i = 0; i < n; i++) if (a[off + i] == v) return i;
        return -1;
    }

    /** As {@link #firstMatch(float[], int, int, float)} for doubles. */
    public static int firstMatch(double[] a, int off, int n, double v) {
        if (VectorApi.PRESENT) return FirstMatchF64.of(a, off, n, v);
        for (int i = 0; i < n; i++) if (a[off + i] == v) return i;
        return -1;
    }
}
