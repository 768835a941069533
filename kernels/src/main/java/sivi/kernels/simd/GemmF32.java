package sivi.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import sivi.kernels.GemmMeter;

/**
 * Packed, register-blocked GEMM on float arrays (Goto-style: NC column blocks, KC depth blocks,
 * B packed into NR-wide panels, A into MR-tall micro-panels, an MR×NR micro-kernel of FMAs).
 * Matrices are addressed as a(i, p) = a[off + i*rs + p*cs], so transposes are just strides.
 * Two micro-kernels share the driver: {@link #MUL} accumulates c += a·b and {@link #SQ}
 * accumulates c += (a − b)² (the direct squared-distance form, exact in sign and accurate near 0).
 * C must be zero on entry; every element sums its k terms in the same order whatever the thread
 * count (k blocks in order, p in order inside a block).
 */
final class GemmF32 {
    private GemmF32() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /**
     * Micro-tile: MR rows × 2 vectors, MR accumulator pairs + 2 B vectors + 1 broadcast A. With 512-bit
     * vectors (AVX-512: 32 registers) 8 rows: 500×128×128 at 190 vs 170 GFLOP/s for 4 rows (81 vs 73 %
     * of the FMA peak); with narrower vectors (AVX2: 16 registers) 8 rows spill and run at 63 vs 98
     * GFLOP/s, so 4 rows there (measured 2026-11-22, `-XX:UseAVX=2`).
     */
    static final int MR = S.vectorBitSize() >= 512 ? 8 : 4, NR = 2 * L;
    /**
     * Depth block and column block: a packed B block of KC×NC elements stays in L2. A shallow product
     * (k < KC) takes proportionally wider column blocks in the same budget, so that its epilogue sees
     * whole rows (the logistic epilogue of a 22-deep LR product ran per row segment, 7 % slower).
     */
    static final int KC = 256, NC = 8 * NR;
    static final int MUL = 0, SQ = 1;

    /** Applied to C[i0..i1) × [j0..j1) once those elements are final (bias + activation of dense). */
    interface Epilogue { void apply(float[] c, int ldc, int i0, int i1, int j0, int j1); }

    /** C (m×n, row-major, zero on entry) = op over k of A (m×k) and B (k×n); counted by {@link GemmMeter} when it is on. */
    static void gemm(Par par, int mode, int m, int n, int k,
                     float[] a, int aOff, int ars, int acs,
                     float[] b, int bOff, int brs, int bcs,
                     float[] c, Epilogue ep) {
        gemm(par, mode, m, n, k, a, a.length, aOff, ars, acs, b, bOff, brs, bcs, c, ep);
    }

    /**
     * As above, A read as if its array ended at aEnd: the one place the array's end matters is the dot-product path's
     * tail (masked when a vector fits before the end, scalar otherwise, which round differently), so a caller that keeps A
     * in a reused scratch array gives the length a fresh array of its own would have had, and gets its bits. aEnd may lie
     * past a.length (a block of a longer product): a masked tail reaching past the array then loads its in-row lanes
     * through the Vector API's checked path, the same values.
     */
    static void gemm(Par par, int mode, int m, int n, int k,
                     float[] a, int aEnd, int aOff, int ars, int acs,
                     float[] b, int bOff, int brs, int bcs,
                     float[] c, Epilogue ep) {
        if (!GemmMeter.on()) { product(par, mode, m, n, k, a, aEnd, aOff, ars, acs, b, bOff, brs, bcs, c, ep); return; }
        long t0 = System.nanoTime();
        int width = product(par, mode, m, n, k, a, aEnd, aOff, ars, acs, b, bOff, brs, bcs, c, ep);
        GemmMeter.add(m, n, k, System.nanoTime() - t0, width);
    }

    /** Returns the most threads any of its parallel regions was offered (1: it ran on the caller alone). */
    private static int product(Par par, int mode, int m, int n, int k,
                                float[] a, int aEnd, int aOff, int ars, int acs,
                                float[] b, int bOff, int brs, int bcs,
                                float[] c, Epilogue ep) {
        if (m == 0 || n == 0) return 1;
        if (k == 0) { if (ep != null) ep.apply(c, n, 0, m, 0, n); return 1; }
        if (mode == MUL && n <= SKINNY && k > SKINNY && acs == 1) return dotRows(par, m, n, k, a, aEnd, aOff, ars, b, bOff, brs, bcs, c, ep);
        if (mode == MUL && n <= SKINNY && k > SKINNY && ars == 1) return axpyCols(par, m, n, k, a, aOff, acs, b, bOff, brs, bcs, c, ep);
        if (k <= SKINNY) return smallK(par, mode, m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, ep);
        if (mode == MUL && n < L && m > n && (ars == 1 || (long) m * k <= 1 << 16)) {
            // Skinny result: compute Cᵀ = Bᵀ Aᵀ so that the long side fills the vector lanes; only
            // when the swapped B (that is, A) packs with unit stride or is small, since a strided
            // gather through a large A costs more than the padding it saves.
            float[] ct = new float[n * m];
            int width = product(par, MUL, n, m, k, b, b.length, bOff, bcs, brs, a, aOff, acs, ars, ct, null);
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[i * n + j] = ct[j * m + i];
            if (ep != null) ep.apply(c, n, 0, m, 0, n);
            return width;
        }
        int rowBlocks = (m + MR - 1) / MR;
        // Enough flops per chunk that forking pays off.
        int ncMax = Math.max(NC, KC * NC / Math.min(k, KC) / NR * NR);
        int minBlocks = Math.max(1, (int) Math.min(rowBlocks, (1L << 18) / Math.max(1L, (long) MR * Math.min(n, ncMax) * Math.min(k, KC))));
        // sized to this product, not to the block maxima: small layers would zero 256 KiB per call
        float[] bp = Scratch.floats(Scratch.GEMM_B, Math.min(KC, k) * Math.min(ncMax, (n + NR - 1) / NR * NR));
        int width = 1;
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc), panels = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, bOff + pc * brs + jc * bcs, brs, bcs, kc, nc, bp);
                boolean last = pc + kc == k;
                int jc0 = jc, pc0 = pc;
                width = Math.max(width, par.run(rowBlocks, minBlocks, (ch, lo, hi) -> {
                    float[] ap = Scratch.floats(Scratch.GEMM_A, MR * kc), tile = Scratch.floats(Scratch.GEMM_TILE, MR * NR);
                    for (int rb = lo; rb < hi; rb++) {
                        int i0 = rb * MR, rows = Math.min(MR, m - i0);
                        // Full row blocks of a row-major A are read in place (4 sequential streams);
                        // packing them cost up to half the kernel time at layer sizes (k ≈ 100).
                        boolean inPlace = (acs == 1 || ars == 1) && rows == MR;
                        float[] as = inPlace ? a : ap;
                        int aBase = inPlace ? aOff + i0 * ars + pc0 * acs : 0, rs = inPlace ? ars : 1, ps = inPlace ? acs : MR;
                        if (!inPlace) packA(a, aOff + i0 * ars + pc0 * acs, ars, acs, rows, kc, ap);
                        for (int jp = 0; jp < panels; jp++) {
                            int j0 = jc0 + jp * NR, cols = Math.min(NR, n - j0);
                            if (mode == MUL) kernelMul(kc, as, aBase, rs, ps, bp, jp * kc * NR, c, i0 * n + j0, n, rows, cols, tile);
                            else kernelSq(kc, as, aBase, rs, ps, bp, jp * kc * NR, c, i0 * n + j0, n, rows, cols, tile);
                        }
                    }
                    if (last && ep != null) ep.apply(c, n, lo * MR, Math.min(hi * MR, m), jc0, jc0 + nc);
                }));
            }
        }
        return width;
    }

    /** Inner or output dimension up to which the skinny loops below replace the packed GEMM. */
    static final int SKINNY = 8;
    /** Multiply-adds per chunk below which forking does not pay off. */
    private static final int GRAIN_FLOPS = 1 << 16;

    /**
     * n ≤ {@link #SKINNY} outputs, rows of A contiguous: per row, n dot products vectorised over p
     * (lane partials, summed in lane order). One pass over A; the order is independent of threads.
     */
    private static int dotRows(Par par, int m, int n, int k, float[] a, int aEnd, int aOff, int ars,
                                float[] b, int bOff, int brs, int bcs, float[] c, Epilogue ep) {
        float[] bt = new float[n * k];
        for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) bt[j * k + p] = b[bOff + p * brs + j * bcs];
        return par.run(m, Math.max(1, GRAIN_FLOPS / (n * k)), (ch, lo, hi) -> {
            dotRange(lo, hi, n, k, a, aEnd, aOff, ars, bt, c);
            if (ep != null) ep.apply(c, n, lo, hi, 0, n);
        });
    }

    private static void dotRange(int lo, int hi, int n, int k, float[] a, int aEnd, int aOff, int ars, float[] bt, float[] c) {
        int ub = S.loopBound(k);
        for (int i = lo; i < hi; i++) {
            int ar = aOff + i * ars;
            for (int j = 0; j < n; j++) {
                FloatVector acc = FloatVector.zero(S);
                int bo = j * k, p = 0;
                for (; p < ub; p += L) acc = FloatVector.fromArray(S, a, ar + p).fma(FloatVector.fromArray(S, bt, bo + p), acc);
                if (p < k && ar + p + L <= aEnd && bo + p + L <= bt.length) {
                    VectorMask<Float> mk = S.indexInRange(p, k);
                    acc = FloatVector.fromArray(S, a, ar + p, mk).fma(FloatVector.fromArray(S, bt, bo + p, mk), acc);
                    p = k;
                }
                float sum = FloatMath.sum(acc);
                // a masked tail past the end of an array takes a slow lane-by-lane check: scalars there (the end
                // being aEnd, so that a scratch array rounds as the fresh one it stands for)
                for (; p < k; p++) sum = Math.fma(a[ar + p], bt[bo + p], sum);
                c[i * n + j] = sum;
            }
        }
    }

    /** Rows of C per strip of {@link #axpyCols}. */
    private static final int STRIP = 64 * L;

    /**
     * n ≤ {@link #SKINNY} outputs, columns of A contiguous (a transposed operand): Cᵀ[j] += b(p, j)·A[:, p]
     * in strips of rows, p in order. One pass over A; the order is independent of threads.
     */
    private static int axpyCols(Par par, int m, int n, int k, float[] a, int aOff, int acs,
                                 float[] b, int bOff, int brs, int bcs, float[] c, Epilogue ep) {
        int strips = (m + STRIP - 1) / STRIP;
        return par.run(strips, Math.max(1, GRAIN_FLOPS / (STRIP * n * k)), (ch, lo, hi) -> {
            float[] ct = new float[n * STRIP];
            for (int st = lo; st < hi; st++) {
                int i0 = st * STRIP, len = Math.min(STRIP, m - i0);
                axpyStrip(i0, len, n, k, a, aOff, acs, b, bOff, brs, bcs, ct);
                for (int r = 0; r < len; r++) for (int j = 0; j < n; j++) c[(i0 + r) * n + j] = ct[j * STRIP + r];
                if (ep != null) ep.apply(c, n, i0, i0 + len, 0, n);
            }
        });
    }

    private static void axpyStrip(int i0, int len, int n, int k, float[] a, int aOff, int acs, float[] b, int bOff, int brs, int bcs, float[] ct) {
        int ub = S.loopBound(len);
        java.util.Arrays.fill(ct, 0);
        for (int p = 0; p < k; p++) {
            int ao = aOff + p * acs + i0;
            for (int j = 0; j < n; j++) {
                float bs = b[bOff + p * brs + j * bcs];
                FloatVector bj = FloatVector.broadcast(S, bs);
                int co = j * STRIP, i = 0;
                for (; i < ub; i += L)
                    FloatVector.fromArray(S, a, ao + i).fma(bj, FloatVector.fromArray(S, ct, co + i)).intoArray(ct, co + i);
                for (; i < len; i++) ct[co + i] = Math.fma(a[ao + i], bs, ct[co + i]);   // same FMA, no masked load at A's end
            }
        }
    }

    /**
     * k ≤ {@link #SKINNY}: B packed as k contiguous rows, each row of C computed vectorised over its
     * columns with p in order (MUL: FMA; SQ: (b − a)² by FMA), as the micro-kernels do.
     */
    private static int smallK(Par par, int mode, int m, int n, int k, float[] a, int aOff, int ars, int acs,
                               float[] b, int bOff, int brs, int bcs, float[] c, Epilogue ep) {
        float[] bp = new float[k * n];
        for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) bp[p * n + j] = b[bOff + p * brs + j * bcs];
        return par.run(m, Math.max(1, GRAIN_FLOPS / (n * k)), (ch, lo, hi) -> {
            smallKRows(mode, lo, hi, n, k, a, aOff, ars, acs, bp, c);
            if (ep != null) ep.apply(c, n, lo, hi, 0, n);
        });
    }

    /**
     * Rows [lo, hi) of C (n columns, row i at c[i·n]) from B packed as k rows of n (bp[p·n + j]), 1 ≤ k ≤ {@link #SKINNY}:
     * the shallow product's loops, also what {@code StreamedMedianF32} computes its distance rows with (so they have the
     * stored matrix's bits).
     */
    static void smallKRows(int mode, int lo, int hi, int n, int k, float[] a, int aOff, int ars, int acs, float[] bp, float[] c) {
        if (k <= UNROLLED_K) smallKUnrolled(mode == SQ, lo, hi, n, k, a, aOff, ars, acs, bp, c);
        else if (mode == MUL) smallKMul(lo, hi, n, k, a, aOff, ars, acs, bp, c);
        else smallKSq(lo, hi, n, k, a, aOff, ars, acs, bp, c);
    }

    /** Depths up to which {@link #smallKUnrolled} replaces the p loop. */
    static final int UNROLLED_K = 4;

    /**
     * k ≤ {@link #UNROLLED_K}: the same operations as {@link #smallKMul} / {@link #smallKSq} in the same order (so the
     * same bits), with the p loop written out and a row's k broadcasts hoisted out of the column loop. A 2-deep loop
     * of unknown trip count around each vector FMA ran at a third of this speed (sqDist of banana particles, d = 2).
     */
    private static void smallKUnrolled(boolean sq, int lo, int hi, int n, int k, float[] a, int aOff, int ars, int acs, float[] bp, float[] c) {
        int ub = S.loopBound(n), n2 = 2 * n, n3 = 3 * n;
        FloatVector z = FloatVector.zero(S);
        for (int i = lo; i < hi; i++) {
            int ar = aOff + i * ars, co = i * n, j = 0;
            float s0 = a[ar], s1 = k > 1 ? a[ar + acs] : 0, s2 = k > 2 ? a[ar + 2 * acs] : 0, s3 = k > 3 ? a[ar + 3 * acs] : 0;
            FloatVector a0 = FloatVector.broadcast(S, s0), a1 = FloatVector.broadcast(S, s1), a2 = FloatVector.broadcast(S, s2), a3 = FloatVector.broadcast(S, s3);
            if (sq) switch (k) {
                case 1 -> { for (; j < ub; j += L) { FloatVector d0 = FloatVector.fromArray(S, bp, j).sub(a0); d0.fma(d0, z).intoArray(c, co + j); } }
                case 2 -> { for (; j < ub; j += L) {
                    FloatVector d0 = FloatVector.fromArray(S, bp, j).sub(a0), d1 = FloatVector.fromArray(S, bp, n + j).sub(a1);
                    d1.fma(d1, d0.fma(d0, z)).intoArray(c, co + j); } }
                case 3 -> { for (; j < ub; j += L) {
                    FloatVector d0 = FloatVector.fromArray(S, bp, j).sub(a0), d1 = FloatVector.fromArray(S, bp, n + j).sub(a1), d2 = FloatVector.fromArray(S, bp, n2 + j).sub(a2);
                    d2.fma(d2, d1.fma(d1, d0.fma(d0, z))).intoArray(c, co + j); } }
                default -> { for (; j < ub; j += L) {
                    FloatVector d0 = FloatVector.fromArray(S, bp, j).sub(a0), d1 = FloatVector.fromArray(S, bp, n + j).sub(a1), d2 = FloatVector.fromArray(S, bp, n2 + j).sub(a2),
                            d3 = FloatVector.fromArray(S, bp, n3 + j).sub(a3);
                    d3.fma(d3, d2.fma(d2, d1.fma(d1, d0.fma(d0, z)))).intoArray(c, co + j); } }
            }
            else switch (k) {
                case 1 -> { for (; j < ub; j += L) a0.fma(FloatVector.fromArray(S, bp, j), z).intoArray(c, co + j); }
                case 2 -> { for (; j < ub; j += L) a1.fma(FloatVector.fromArray(S, bp, n + j), a0.fma(FloatVector.fromArray(S, bp, j), z)).intoArray(c, co + j); }
                case 3 -> { for (; j < ub; j += L)
                    a2.fma(FloatVector.fromArray(S, bp, n2 + j), a1.fma(FloatVector.fromArray(S, bp, n + j), a0.fma(FloatVector.fromArray(S, bp, j), z))).intoArray(c, co + j); }
                default -> { for (; j < ub; j += L)
                    a3.fma(FloatVector.fromArray(S, bp, n3 + j), a2.fma(FloatVector.fromArray(S, bp, n2 + j),
                            a1.fma(FloatVector.fromArray(S, bp, n + j), a0.fma(FloatVector.fromArray(S, bp, j), z)))).intoArray(c, co + j); }
            }
            for (; j < n; j++) {   // scalar tail, as in the general loops
                float acc = 0;
                for (int p = 0; p < k; p++) {
                    if (sq) { float dv = bp[p * n + j] - a[ar + p * acs]; acc = Math.fma(dv, dv, acc); }
                    else acc = Math.fma(a[ar + p * acs], bp[p * n + j], acc);
                }
                c[co + j] = acc;
            }
        }
    }

    private static void smallKMul(int lo, int hi, int n, int k, float[] a, int aOff, int ars, int acs, float[] bp, float[] c) {
        int ub = S.loopBound(n);
        for (int i = lo; i < hi; i++) {
            int ar = aOff + i * ars, co = i * n, j = 0;
            for (; j < ub; j += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    FloatVector bv = FloatVector.fromArray(S, bp, p * n + j);
                    acc = FloatVector.broadcast(S, a[ar + p * acs]).fma(bv, acc);
                }
                acc.intoArray(c, co + j);
            }
            for (; j < n; j++) {   // scalar tail: the same FMA per lane, without masked loads
                float acc = 0;
                for (int p = 0; p < k; p++) { acc = Math.fma(a[ar + p * acs], bp[p * n + j], acc); }
                c[co + j] = acc;
            }
        }
    }

    private static void smallKSq(int lo, int hi, int n, int k, float[] a, int aOff, int ars, int acs, float[] bp, float[] c) {
        int ub = S.loopBound(n);
        for (int i = lo; i < hi; i++) {
            int ar = aOff + i * ars, co = i * n, j = 0;
            for (; j < ub; j += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    FloatVector bv = FloatVector.fromArray(S, bp, p * n + j);
                    FloatVector dv = bv.sub(a[ar + p * acs]); acc = dv.fma(dv, acc);
                }
                acc.intoArray(c, co + j);
            }
            for (; j < n; j++) {   // scalar tail: the same FMA per lane, without masked loads
                float acc = 0;
                for (int p = 0; p < k; p++) { float dv = bp[p * n + j] - a[ar + p * acs]; acc = Math.fma(dv, dv, acc); }
                c[co + j] = acc;
            }
        }
    }

    /** Packs B[0..kc) × [0..nc) into NR-wide panels, zero-padded: bp[panel][p][jj]. */
    private static void packB(float[] b, int off, int rs, int cs, int kc, int nc, float[] bp) {
        int panels = (nc + NR - 1) / NR;
        for (int jp = 0; jp < panels; jp++) {
            int j0 = jp * NR, cols = Math.min(NR, nc - j0), base = jp * kc * NR;
            if (rs == 1 && cs != 1) {
                // a transposed B: read each column's kc contiguous elements once (strided writes stay in the panel)
                for (int jj = 0; jj < cols; jj++) {
                    int src = off + (j0 + jj) * cs;
                    for (int p = 0; p < kc; p++) bp[base + p * NR + jj] = b[src + p];
                }
                if (cols < NR) for (int p = 0; p < kc; p++) java.util.Arrays.fill(bp, base + p * NR + cols, base + (p + 1) * NR, 0f);
                continue;
            }
            if (cs == 1 && off + (long) (kc - 1) * rs + j0 + NR <= b.length) {
                // rows of the panel as two vectors each (masked for a short last panel, the masked-off lanes
                // being the zero padding) instead of an arraycopy and a scalar zero fill per row: the 100×22×400
                // products of a KSIVI lr-waveform step (score, HVP) ran 4–11 % faster in alternated pairs. The
                // bound check above keeps every masked access inside b, where the Vector API does not fall back
                // to per-lane checks.
                VectorMask<Float> m0 = S.indexInRange(0, cols), m1 = S.indexInRange(L, cols);
                for (int p = 0, src = off + j0, dst = base; p < kc; p++, src += rs, dst += NR) {
                    FloatVector.fromArray(S, b, src, m0).intoArray(bp, dst);
                    FloatVector.fromArray(S, b, src + L, m1).intoArray(bp, dst + L);
                }
                continue;
            }
            for (int p = 0; p < kc; p++) {
                int src = off + p * rs + j0 * cs, dst = base + p * NR;
                if (cs == 1) System.arraycopy(b, src, bp, dst, cols);
                else for (int jj = 0; jj < cols; jj++) bp[dst + jj] = b[src + jj * cs];
                for (int jj = cols; jj < NR; jj++) bp[dst + jj] = 0;
            }
        }
    }

    /** Packs A[0..rows) × [0..kc) as ap[p][r], zero-padded to MR rows. */
    private static void packA(float[] a, int off, int rs, int cs, int rows, int kc, float[] ap) {
        for (int p = 0; p < kc; p++) {
            int src = off + p * cs, dst = p * MR;
            for (int r = 0; r < rows; r++) ap[dst + r] = a[src + r * rs];
            for (int r = rows; r < MR; r++) ap[dst + r] = 0;
        }
    }

    /**
     * C tile += A rows × B panel; a(r, p) = ap[aBase + r·rs + p·ps]: a packed micro-panel (rs 1, ps MR)
     * or MR rows of A read in place (row-major: rs = its row stride, ps 1; column-major: rs 1, ps =
     * its column stride). {@link #MR} is a constant, so C2 keeps one of the two bodies.
     */
    private static void kernelMul(int kc, float[] ap, int aBase, int rs, int ps, float[] bp, int bBase, float[] c, int cOff, int ldc, int rows, int cols, float[] tile) {
        if (MR == 8) kernelMul8(kc, ap, aBase, rs, ps, bp, bBase, c, cOff, ldc, rows, cols, tile);
        else kernelMul4(kc, ap, aBase, rs, ps, bp, bBase, c, cOff, ldc, rows, cols, tile);
    }

    /** As {@link #kernelMul}, accumulating (a − b)². */
    private static void kernelSq(int kc, float[] ap, int aBase, int rs, int ps, float[] bp, int bBase, float[] c, int cOff, int ldc, int rows, int cols, float[] tile) {
        if (MR == 8) kernelSq8(kc, ap, aBase, rs, ps, bp, bBase, c, cOff, ldc, rows, cols, tile);
        else kernelSq4(kc, ap, aBase, rs, ps, bp, bBase, c, cOff, ldc, rows, cols, tile);
    }

    /** 4 rows × 2 vectors: 8 accumulators + 2 B vectors + 1 broadcast fit 16 registers. */
    private static void kernelMul4(int kc, float[] ap, int aBase, int rs, int ps, float[] bp, int bBase, float[] c, int cOff, int ldc, int rows, int cols, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        int r1 = rs, r2 = 2 * rs, r3 = 3 * rs;
        for (int p = 0, ai = aBase, bi = bBase; p < kc; p++, ai += ps, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai]);      c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + r1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + r2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + r3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
        }
        // NOTE: every vector op below is force-inlined by the JDK; a helper method taking the
        // accumulators as arguments would not inline here and C2 would box them on every iteration.
        if (rows == MR && cols == NR) {
            int o = cOff;
            c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c01.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c10.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c11.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c20.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c21.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c30.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c31.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
        } else {
            c00.intoArray(tile, 0); c01.intoArray(tile, L); c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
            c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
            addTile(tile, c, cOff, ldc, rows, cols);
        }
    }

    /** 8 rows × 2 vectors: 16 accumulators, for 32 vector registers. */
    private static void kernelMul8(int kc, float[] ap, int aBase, int rs, int ps, float[] bp, int bBase, float[] c, int cOff, int ldc, int rows, int cols, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        int r1 = rs, r2 = 2 * rs, r3 = 3 * rs, r4 = 4 * rs, r5 = 5 * rs, r6 = 6 * rs, r7 = 7 * rs;
        for (int p = 0, ai = aBase, bi = bBase; p < kc; p++, ai += ps, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai]);      c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + r1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + r2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + r3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + r4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + r5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ai + r6]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ai + r7]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
        }
        if (rows == MR && cols == NR) {
            int o = cOff;
            c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c01.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c10.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c11.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c20.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c21.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c30.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c31.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c40.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c41.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c50.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c51.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c60.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c61.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c70.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c71.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
        } else {
            c00.intoArray(tile, 0); c01.intoArray(tile, L); c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
            c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
            c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L); c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
            c60.intoArray(tile, 6 * NR); c61.intoArray(tile, 6 * NR + L); c70.intoArray(tile, 7 * NR); c71.intoArray(tile, 7 * NR + L);
            addTile(tile, c, cOff, ldc, rows, cols);
        }
    }

    /** As {@link #kernelMul4}, accumulating (a − b)². */
    private static void kernelSq4(int kc, float[] ap, int aBase, int rs, int ps, float[] bp, int bBase, float[] c, int cOff, int ldc, int rows, int cols, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        int r1 = rs, r2 = 2 * rs, r3 = 3 * rs;
        for (int p = 0, ai = aBase, bi = bBase; p < kc; p++, ai += ps, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector d0, d1;
            d0 = b0.sub(ap[ai]);      d1 = b1.sub(ap[ai]);      c00 = d0.fma(d0, c00); c01 = d1.fma(d1, c01);
            d0 = b0.sub(ap[ai + r1]); d1 = b1.sub(ap[ai + r1]); c10 = d0.fma(d0, c10); c11 = d1.fma(d1, c11);
            d0 = b0.sub(ap[ai + r2]); d1 = b1.sub(ap[ai + r2]); c20 = d0.fma(d0, c20); c21 = d1.fma(d1, c21);
            d0 = b0.sub(ap[ai + r3]); d1 = b1.sub(ap[ai + r3]); c30 = d0.fma(d0, c30); c31 = d1.fma(d1, c31);
        }
        // NOTE: every vector op below is force-inlined by the JDK; a helper method taking the
        // accumulators as arguments would not inline here and C2 would box them on every iteration.
        if (rows == MR && cols == NR) {
            int o = cOff;
            c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c01.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c10.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c11.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c20.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c21.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c30.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c31.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
        } else {
            c00.intoArray(tile, 0); c01.intoArray(tile, L); c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
            c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
            addTile(tile, c, cOff, ldc, rows, cols);
        }
    }

    /** As {@link #kernelMul8}, accumulating (a − b)². */
    private static void kernelSq8(int kc, float[] ap, int aBase, int rs, int ps, float[] bp, int bBase, float[] c, int cOff, int ldc, int rows, int cols, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        int r0 = 0, r1 = rs, r2 = 2 * rs, r3 = 3 * rs, r4 = 4 * rs, r5 = 5 * rs, r6 = 6 * rs, r7 = 7 * rs;
        for (int p = 0, ai = aBase, bi = bBase; p < kc; p++, ai += ps, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector d0, d1;
            d0 = b0.sub(ap[ai + r0]); d1 = b1.sub(ap[ai + r0]); c00 = d0.fma(d0, c00); c01 = d1.fma(d1, c01);
            d0 = b0.sub(ap[ai + r1]); d1 = b1.sub(ap[ai + r1]); c10 = d0.fma(d0, c10); c11 = d1.fma(d1, c11);
            d0 = b0.sub(ap[ai + r2]); d1 = b1.sub(ap[ai + r2]); c20 = d0.fma(d0, c20); c21 = d1.fma(d1, c21);
            d0 = b0.sub(ap[ai + r3]); d1 = b1.sub(ap[ai + r3]); c30 = d0.fma(d0, c30); c31 = d1.fma(d1, c31);
            d0 = b0.sub(ap[ai + r4]); d1 = b1.sub(ap[ai + r4]); c40 = d0.fma(d0, c40); c41 = d1.fma(d1, c41);
            d0 = b0.sub(ap[ai + r5]); d1 = b1.sub(ap[ai + r5]); c50 = d0.fma(d0, c50); c51 = d1.fma(d1, c51);
            d0 = b0.sub(ap[ai + r6]); d1 = b1.sub(ap[ai + r6]); c60 = d0.fma(d0, c60); c61 = d1.fma(d1, c61);
            d0 = b0.sub(ap[ai + r7]); d1 = b1.sub(ap[ai + r7]); c70 = d0.fma(d0, c70); c71 = d1.fma(d1, c71);
        }
        if (rows == MR && cols == NR) {
            int o = cOff;
            c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c01.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c10.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c11.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c20.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c21.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c30.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c31.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c40.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c41.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c50.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c51.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c60.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c61.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L); o += ldc;
            c70.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c71.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
        } else {
            c00.intoArray(tile, 0); c01.intoArray(tile, L); c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
            c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
            c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L); c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
            c60.intoArray(tile, 6 * NR); c61.intoArray(tile, 6 * NR + L); c70.intoArray(tile, 7 * NR); c71.intoArray(tile, 7 * NR + L);
            addTile(tile, c, cOff, ldc, rows, cols);
        }
    }

    /**
     * Adds a spilled MR×NR tile t into the rows × cols corner of C (edge tiles only). Kept out of the micro-kernels: masked code there grows them past what C2 compiles with
     * the vector intrinsics, and they fall back to boxed vectors (measured 10× slower).
     */
    private static void addTile(float[] t, float[] c, int off, int ldc, int rows, int cols) {
        // Whole vectors where they lie inside the tile's columns, scalars for the rest of a row: a masked access checks
        // its mask lane by lane even inside the array (2–3 % of a KSIVI lr-waveform step at N = 100, where every tile of
        // the 22-column score products is an edge tile), and allocates when the vector would reach past the end of c.
        for (int r = 0, o = off; r < rows; r++, o += ldc) {
            int j = 0;
            for (; j + L <= cols; j += L) FloatVector.fromArray(S, t, r * NR + j).add(FloatVector.fromArray(S, c, o + j)).intoArray(c, o + j);
            for (; j < cols; j++) c[o + j] += t[r * NR + j];
        }
    }
}
