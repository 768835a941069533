package sivi.kernels.simd;

/**
 * Per-thread work arrays for temporaries that never leave a kernel call (GEMM's packed panels and
 * edge tile, dense backward's gp, the pairwise median's distances, a GEMM chain's middle product, the KSD GEMM form's
 * pair matrices), reused from call to call: a fresh 256 KiB array costs ~10 µs of
 * zeroing cold memory, a reused one is still in cache. Contents are arbitrary on entry — every user
 * writes what it reads. One slot per use, so that a kernel holding one slot can call another that
 * takes a different one; no user holds a slot across a call that takes the same slot.
 */
final class Scratch {
    private Scratch() {}

    static final int GEMM_B = 0, GEMM_A = 1, GEMM_TILE = 2, DENSE_GP = 3, PAIR_DIST = 4, SELECT_COPY = 5, CHAIN = 6, KSD_D = 7, KSD_P = 8;
    private static final int SLOTS = 9;
    /** Larger requests get a fresh array, so that one huge call does not pin its memory to a thread. */
    private static final int MAX_KEPT = 1 << 22;

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);
    private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[SLOTS][0]);

    /** An array of at least n floats for this thread's slot (arbitrary contents). */
    static float[] floats(int slot, int n) {
        if (n > MAX_KEPT) return new float[n];
        float[][] s = FLOATS.get();
        if (s[slot].length < n) s[slot] = new float[n];
        return s[slot];
    }

    /** An array of at least n doubles for this thread's slot (arbitrary contents). */
    static double[] doubles(int slot, int n) {
        if (n > MAX_KEPT) return new double[n];
        double[][] s = DOUBLES.get();
        if (s[slot].length < n) s[slot] = new double[n];
        return s[slot];
    }
}
