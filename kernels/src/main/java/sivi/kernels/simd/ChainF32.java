package sivi.kernels.simd;

/**
 * Two GEMMs with an elementwise step between them, by blocks of rows: f(A·B)·C, each block's middle product in a
 * per-thread scratch array that is still in cache when the second GEMM reads it, instead of a fresh N×n array (a
 * fresh 160 KB output doubled the time of the 100×22×400 logit product of a KSIVI lr-waveform step: 41 against
 * 20 µs with a reused one). An element of a GEMM takes the same operations whichever rows are multiplied with it, and
 * f is elementwise, so every element has the bits of the two GEMMs and f run one after the other (the second GEMM is
 * told where the composition's middle array would end, the one thing its rounding can depend on besides the values).
 */
final class ChainF32 {
    private ChainF32() {}

    /** The elementwise step on one block's middle product: rows [r0, r0 + rows) of the whole, n columns, row-major from 0. */
    interface Middle { void apply(float[] mid, int r0, int rows, int n); }

    /** Elements of a block's middle product at most (unless one row is longer): 256 KiB of floats, in L2 with both packed operands. */
    private static final int BLOCK_ELEMENTS = 1 << 16;

    /**
     * f(A·B)·C (A: m×k, B: k×n, C: n×e; a(i, p) = a[aOff + i·ars + p·acs], and so for B and C), m×e row-major. At least
     * one block per thread when there are enough rows for it.
     */
    static float[] apply(Par par, int m, int k, int n, int e,
                         float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                         float[] c, int cOff, int crs, int ccs, Middle middle) {
        float[] out = new float[m * e];
        if (m == 0) return out;
        int mr = GemmF32.MR;
        int rowsMax = Math.max(mr, BLOCK_ELEMENTS / Math.max(1, n) / mr * mr);
        int blocks = Math.max((m + rowsMax - 1) / rowsMax, Math.min(par.threads(), (m + mr - 1) / mr));
        int rowsPer = ((m + blocks - 1) / blocks + mr - 1) / mr * mr, count = (m + rowsPer - 1) / rowsPer;
        par.run(count, 1, (ch, lo, hi) -> {
            for (int bl = lo; bl < hi; bl++) {
                int r0 = bl * rowsPer, rows = Math.min(rowsPer, m - r0);
                float[] mid = Scratch.floats(Scratch.CHAIN, rows * n);
                java.util.Arrays.fill(mid, 0, rows * n, 0f);   // a GEMM's C is zero on entry
                GemmF32.gemm(par, GemmF32.MUL, rows, n, k, a, aOff + r0 * ars, ars, acs, b, bOff, brs, bcs, mid, null);
                middle.apply(mid, r0, rows, n);
                float[] part = count == 1 ? out : new float[rows * e];
                // read as if mid ran on to the whole product's end, as the composition's fresh N×n array does (GemmF32#gemm)
                GemmF32.gemm(par, GemmF32.MUL, rows, e, n, mid, (m - r0) * n, 0, n, 1, c, cOff, crs, ccs, part, null);
                if (part != out) System.arraycopy(part, 0, out, r0 * e, rows * e);
            }
        });
        return out;
    }
}
