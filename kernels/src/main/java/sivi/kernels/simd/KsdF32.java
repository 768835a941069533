package sivi.kernels.simd;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import sivi.kernels.StationaryKernel;
import sivi.tensor.Tensor;

/**
 * The fused KSD quadratic form S = Σ_{n,m} k(D(x_n, y_m); h)·(a_n·b_m) and its backward on float
 * arrays: one pass over the rows of x, lanes over m of yᵀ (d×M') and bᵀ (e×M'), no N×M array.
 * M' is M rounded up to the vector length with zero columns, so no loop needs a mask: a padding
 * column has b = 0, hence p = 0, and contributes 0 to S, gx, ga and gh (what it adds to the gyᵀ, gbᵀ
 * padding is never read). Row sums are lane partials summed by {@link FloatMath#sum}, rows added
 * in double per chunk, chunks (and the y-side gradient partials) added in chunk order.
 */
final class KsdF32 {
    private KsdF32() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Coordinates (of x and of a) from which {@link #withGradientGemm} beats the row pass (measured crossover ≈ 12 at N = 100). */
    static final int GEMM_MIN_DIM = 12;
    /** Pairs up to which the GEMM form runs as one block: its two N×M float arrays (≤ 64 MiB together). */
    static final long GEMM_MAX_PAIRS = 1L << 23;
    /** Above {@link #GEMM_MAX_PAIRS}, pairs per block of rows (two 8 MiB arrays). */
    static final long GEMM_BLOCK_PAIRS = 1L << 21;

    /** The inputs in the layout the passes read: rows of x and a, padded transposes of y and b (stride mp). */
    private record Pairs(int n, int m, int mp, int d, int e, boolean l1, float[] xs, float[] yT, float[] as, float[] bT) {
        static Pairs of(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b) {
            int m = y.dim(0), mp = (m + L - 1) / L * L;
            return new Pairs(x.dim(0), m, mp, x.dim(1), a.dim(1), kernel.distance() == StationaryKernel.Distance.L1,
                    x.contiguous().toFloatArray(), PairwiseF32.transposed(y, mp), a.contiguous().toFloatArray(), PairwiseF32.transposed(b, mp));
        }

        /** Rows per chunk: at least 2¹⁶ pair-coordinates. */
        int grain() { return Math.max(1, (1 << 16) / Math.max(1, m * (d + e))); }

        /** D(x_i, y_q..q+L) of the kernel's distance, coordinates summed in order. */
        FloatVector distance(int i, int q) {
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < d; j++) {
                FloatVector diff = FloatVector.broadcast(S, xs[i * d + j]).sub(FloatVector.fromArray(S, yT, j * mp + q));
                acc = l1 ? acc.add(diff.lanewise(ABS)) : diff.fma(diff, acc);
            }
            return acc;
        }

        /** p = a_i·b_q..q+L, coordinates summed in order. */
        FloatVector dot(int i, int q) {
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < e; j++) acc = FloatVector.fromArray(S, bT, j * mp + q).fma(FloatVector.broadcast(S, as[i * e + j]), acc);
            return acc;
        }
    }

    /** S, as a scalar tensor. */
    static Tensor forward(Par par, StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Pairs p = Pairs.of(kernel, x, y, a, b);
        if (p.n() == 0 || p.m() == 0) return Tensor.wrap(new float[1]);
        boolean exponential = kernel != StationaryKernel.IMQ;
        float c = PairwiseF32.valueCoefficient(kernel, h);
        double[] partial = new double[par.chunks(p.n(), p.grain())];
        par.run(p.n(), p.grain(), (ch, lo, hi) -> {
            double total = 0;
            for (int i = lo; i < hi; i++) {
                FloatVector acc = FloatVector.zero(S);
                for (int q = 0; q < p.mp(); q += L) acc = PairwiseF32.kernelValue(exponential, p.distance(i, q), c).fma(p.dot(i, q), acc);
                total += FloatMath.sum(acc);
            }
            partial[ch] = total;
        });
        double s = 0;
        for (double v : partial) s += v;
        return Tensor.wrap(new float[] {(float) s});
    }

    /** {S, ∂S/∂x, ∂S/∂y, ∂S/∂a, ∂S/∂b, ∂S/∂h}, see {@link sivi.kernels.Backend#ksdQuadraticWithGradient}. */
    static Tensor[] withGradient(Par par, StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        long pairs = (long) x.dim(0) * y.dim(0);
        if (kernel.distance() != StationaryKernel.Distance.L1 && pairs > 0 && Math.min(x.dim(1), a.dim(1)) >= GEMM_MIN_DIM)
            return withGradientGemm(par, kernel, x, y, a, b, h);
        return withGradientRows(par, kernel, x, y, a, b, h, x.dim(1) == 2 && a.dim(1) == 2);
    }

    /** The row pass; {@code twoD} (d = e = 2 only) takes {@link #rows2}, else {@link #rows} (tests run both on 2-d inputs). */
    static Tensor[] withGradientRows(Par par, StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h, boolean twoD) {
        Pairs p = Pairs.of(kernel, x, y, a, b);
        int n = p.n(), m = p.m(), mp = p.mp(), d = p.d(), e = p.e();
        if (twoD && (d != 2 || e != 2)) throw new IllegalArgumentException("rows2 needs d = e = 2, got d = " + d + ", e = " + e);
        float[] gx = new float[n * d], ga = new float[n * e], gy = new float[m * d], gb = new float[m * e];
        double s = 0, gh = 0;
        if (n > 0 && m > 0) {
            int chunks = par.chunks(n, p.grain());
            float[][] gyT = new float[chunks][], gbT = new float[chunks][];
            double[][] sums = new double[chunks][];
            Coefficients k = Coefficients.of(kernel, h);
            par.run(n, p.grain(), (ch, lo, hi) -> {
                gyT[ch] = new float[d * mp];
                gbT[ch] = new float[e * mp];
                sums[ch] = twoD ? rows2(p, k, lo, hi, gx, ga, gyT[ch], gbT[ch]) : rows(p, k, lo, hi, gx, ga, gyT[ch], gbT[ch]);
            });
            PairwiseF32.addPartials(gyT, m, mp, d, gy);
            PairwiseF32.addPartials(gbT, m, mp, e, gb);
            for (double[] v : sums) { s += v[0]; gh += v[1]; }
            gh *= PairwiseF32.bandwidthCoefficient(kernel, h);
        }
        return new Tensor[] {Tensor.wrap(new float[] {(float) s}), Tensor.wrap(gx, n, d), Tensor.wrap(gy, m, d), Tensor.wrap(ga, n, e), Tensor.wrap(gb, m, e),
                Tensor.wrap(new float[] {(float) gh})};
    }

    /**
     * {@link #withGradient} for squared-distance kernels with d, e ≥ {@link #GEMM_MIN_DIM}: the pair sums as
     * GEMMs on two B×M arrays for blocks of B rows of x (no N×M×d; no N×M array above {@link #GEMM_MAX_PAIRS}).
     * D by the direct (x − y)² GEMM kernel, p = A·Bᵀ, then k and w = wd·p·t elementwise (in place);
     * ga = K·B, gb = Kᵀ·A, gx = rowsum(W)·x − W·y and gy = colsum(W)·y − Wᵀ·x on x, y centred at the mean of y
     * (the expansion cancels less than about the origin); the y-side sums gb and Wᵀ·x are added block by block.
     * Every sum has a fixed order (the blocks depend on N and M only), so the result does not depend on the thread
     * count. At N = 100, d = e = 22 (KSIVI on lr-waveform) 97 → 64 µs, at N = 1000 6.5 → 3.4 ms; with d = 8 the
     * row pass is faster (40 vs 61 µs at N = 100), hence the threshold.
     */
    private static Tensor[] withGradientGemm(Par par, StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        return withGradientGemm(par, kernel, x, y, a, b, h, blockRows(x.dim(0), y.dim(0)));
    }

    /** Rows of x per block of the GEMM form: all of them up to {@link #GEMM_MAX_PAIRS} pairs, else blocks of at most {@link #GEMM_BLOCK_PAIRS}. */
    static int blockRows(int n, int m) {
        if ((long) n * m <= GEMM_MAX_PAIRS) return Math.max(1, n);
        return (int) Math.max(1, Math.min(n, GEMM_BLOCK_PAIRS / Math.max(1, m)));
    }

    /** The GEMM form with a given block height (tests force several blocks on small inputs). */
    static Tensor[] withGradientGemm(Par par, StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h, int blockRows) {
        int n = x.dim(0), m = y.dim(0), d = x.dim(1), e = a.dim(1), rows = Math.max(1, Math.min(n, blockRows));
        Tensor xc = x.contiguous(), yc = y.contiguous(), ac = a.contiguous(), bc = b.contiguous();
        float[] xv = xc.floatStorage(), yv = yc.floatStorage(), av = ac.floatStorage(), bv = bc.floatStorage();
        int xo = xc.offset(), yo = yc.offset(), ao = ac.offset(), bo = bc.offset();
        Coefficients k = Coefficients.of(kernel, h);
        // x and y centred at the mean of y, each with a column of ones appended: W·[y | 1] gives W·y and
        // the row sums of W in one GEMM, Wᵀ·[x | 1] gives Wᵀ·x and the column sums
        int d1 = d + 1;
        float[] cen = new float[d], xs = new float[n * d1], ys = new float[m * d1];
        for (int c = 0; c < d; c++) { double t = 0; for (int j = 0; j < m; j++) t += yv[yo + j * d + c]; cen[c] = (float) (t / m); }
        for (int i = 0; i < n; i++) { for (int c = 0; c < d; c++) xs[i * d1 + c] = xv[xo + i * d + c] - cen[c]; xs[i * d1 + d] = 1; }
        for (int j = 0; j < m; j++) { for (int c = 0; c < d; c++) ys[j * d1 + c] = yv[yo + j * d + c] - cen[c]; ys[j * d1 + d] = 1; }
        // one block: D → K and p → W, in reused per-thread arrays (at N = 1000 two fresh 4 MB arrays per step were 40 % of
        // a KSIVI lr-waveform step's allocation); read as the fresh rows × M arrays they stand for (GemmF32#gemm)
        int cells = rows * m;
        float[] dm = Scratch.floats(Scratch.KSD_D, cells), pm = Scratch.floats(Scratch.KSD_P, cells);
        double[] rowS = new double[n], rowH = new double[n];
        float[] ga = new float[n * e], gb = new float[m * e], wy = new float[n * d1], wtx = new float[m * d1];
        boolean blocked = rows < n;
        float[] gaB = blocked ? new float[rows * e] : ga, wyB = blocked ? new float[rows * d1] : wy;
        float[] gbB = blocked ? new float[m * e] : gb, wtxB = blocked ? new float[m * d1] : wtx;
        for (int r0 = 0; r0 < n; r0 += rows) {
            int nb = Math.min(rows, n - r0), base = r0;
            java.util.Arrays.fill(dm, 0, cells, 0f); java.util.Arrays.fill(pm, 0, cells, 0f);   // C is zero on entry
            GemmF32.gemm(par, GemmF32.SQ, nb, m, d, xv, xo + r0 * d, d, 1, yv, yo, 1, d, dm, null);
            GemmF32.gemm(par, GemmF32.MUL, nb, m, e, av, ao + r0 * e, e, 1, bv, bo, 1, e, pm, null);
            par.run(nb, Math.max(1, 4096 / Math.max(1, m)), (ch, lo, hi) -> pairFactors(k, dm, pm, m, lo, hi, rowS, rowH, base));
            if (r0 > 0) { java.util.Arrays.fill(gaB, 0f); java.util.Arrays.fill(wyB, 0f); java.util.Arrays.fill(gbB, 0f); java.util.Arrays.fill(wtxB, 0f); }
            GemmF32.gemm(par, GemmF32.MUL, nb, e, m, dm, cells, 0, m, 1, bv, bo, e, 1, gaB, null);
            GemmF32.gemm(par, GemmF32.MUL, m, e, nb, dm, cells, 0, 1, m, av, ao + r0 * e, e, 1, gbB, null);
            GemmF32.gemm(par, GemmF32.MUL, nb, d1, m, pm, cells, 0, m, 1, ys, 0, d1, 1, wyB, null);
            GemmF32.gemm(par, GemmF32.MUL, m, d1, nb, pm, cells, 0, 1, m, xs, r0 * d1, d1, 1, wtxB, null);
            if (blocked) {
                System.arraycopy(gaB, 0, ga, r0 * e, nb * e);
                System.arraycopy(wyB, 0, wy, r0 * d1, nb * d1);
                if (r0 == 0) { System.arraycopy(gbB, 0, gb, 0, m * e); System.arraycopy(wtxB, 0, wtx, 0, m * d1); }
                else { for (int i = 0; i < m * e; i++) gb[i] += gbB[i]; for (int i = 0; i < m * d1; i++) wtx[i] += wtxB[i]; }
            }
        }
        double s = 0, gh = 0;
        for (int i = 0; i < n; i++) { s += rowS[i]; gh += rowH[i]; }
        gh *= PairwiseF32.bandwidthCoefficient(kernel, h);
        float[] gx = new float[n * d], gy = new float[m * d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) gx[i * d + c] = Math.fma(wy[i * d1 + d], xs[i * d1 + c], -wy[i * d1 + c]);
        for (int j = 0; j < m; j++) for (int c = 0; c < d; c++) gy[j * d + c] = Math.fma(wtx[j * d1 + d], ys[j * d1 + c], -wtx[j * d1 + c]);
        return new Tensor[] {Tensor.wrap(new float[] {(float) s}), Tensor.wrap(gx, n, d), Tensor.wrap(gy, m, d), Tensor.wrap(ga, n, e), Tensor.wrap(gb, m, e),
                Tensor.wrap(new float[] {(float) gh})};
    }

    /**
     * Rows [lo, hi) of a block's D → k and of p → w in place; per row (base + i) Σ k·p and Σ p·t·D (lane partials summed by
     * {@link FloatMath#sum}). A row's tail goes through L-wide scratch copies padded with p = 0, so it
     * runs the same vector code and the padding adds nothing.
     */
    private static void pairFactors(Coefficients k, float[] dm, float[] pm, int m, int lo, int hi, double[] rowS, double[] rowH, int base) {
        float[] lanes = new float[2 * L], td = new float[L], tp = new float[L];
        int ub = S.loopBound(m), rest = m - ub;
        for (int i = lo; i < hi; i++) {
            int o = i * m;
            java.util.Arrays.fill(lanes, 0f);
            pairFactorRun(k, dm, pm, o, ub, lanes);
            if (rest > 0) {
                java.util.Arrays.fill(td, 0f);
                java.util.Arrays.fill(tp, 0f);
                System.arraycopy(dm, o + ub, td, 0, rest);
                System.arraycopy(pm, o + ub, tp, 0, rest);
                pairFactorRun(k, td, tp, 0, L, lanes);
                System.arraycopy(td, 0, dm, o + ub, rest);
                System.arraycopy(tp, 0, pm, o + ub, rest);
            }
            rowS[base + i] = FloatMath.sum(lanes, 0);
            rowH[base + i] = FloatMath.sum(lanes, L);
        }
    }

    /** k and w in place over d[o, o + len) and p[o, o + len) (len a multiple of L), adding k·p and p·t·D into the lane partials lanes[0, 2L). */
    private static void pairFactorRun(Coefficients k, float[] dm, float[] pm, int o, int len, float[] lanes) {
        FloatVector accS = FloatVector.fromArray(S, lanes, 0), accH = FloatVector.fromArray(S, lanes, L);
        for (int q = 0; q < len; q += L) {
            FloatVector dist = FloatVector.fromArray(S, dm, o + q), pv = FloatVector.fromArray(S, pm, o + q), kv = PairwiseF32.kernelValue(k.exponential(), dist, k.c());
            FloatVector pt = pv.mul(k.exponential() ? kv : kv.mul(kv).mul(kv));
            kv.intoArray(dm, o + q);
            pt.mul(k.wd()).intoArray(pm, o + q);
            accS = kv.fma(pv, accS);
            accH = pt.fma(dist, accH);
        }
        accS.intoArray(lanes, 0);
        accH.intoArray(lanes, L);
    }

    /**
     * The per-pair factors: kernel value k = e^{c D} or 1/√(1 + c D); the distance weight
     * w = wd·p·t (t = k or k³, wd = ∂k/∂D/t, doubled for the squared distance's 2(x − y)).
     */
    private record Coefficients(boolean exponential, float c, float wd) {
        static Coefficients of(StationaryKernel kernel, double h) {
            double twice = kernel.distance() == StationaryKernel.Distance.L1 ? 1 : 2;
            return new Coefficients(kernel != StationaryKernel.IMQ, PairwiseF32.valueCoefficient(kernel, h), (float) (twice * PairwiseF32.distanceCoefficient(kernel, h)));
        }
    }

    /**
     * Rows [lo, hi): per row, first k and w into two row buffers (and the row sums of k·p for S and
     * of p·t·D for gh), then gx, ga from lane sums over the buffers while subtracting/adding the
     * same terms into the chunk's gyᵀ and gbᵀ partials. Returns the chunk's {Σ k·p, Σ p·t·D}.
     */
    private static double[] rows(Pairs p, Coefficients k, int lo, int hi, float[] gx, float[] ga, float[] gyT, float[] gbT) {
        int mp = p.mp(), d = p.d(), e = p.e();
        float[] kRow = new float[mp], wRow = new float[mp];
        double[] sums = new double[2];
        float[] lanes = new float[2 * L];
        for (int i = lo; i < hi; i++) {
            FloatVector accS = FloatVector.zero(S), accH = FloatVector.zero(S);
            for (int q = 0; q < mp; q += L) {
                FloatVector dist = p.distance(i, q), kv = PairwiseF32.kernelValue(k.exponential(), dist, k.c()), pv = p.dot(i, q);
                FloatVector pt = pv.mul(k.exponential() ? kv : kv.mul(kv).mul(kv));
                kv.intoArray(kRow, q);
                pt.mul(k.wd()).intoArray(wRow, q);
                accS = kv.fma(pv, accS);
                accH = pt.fma(dist, accH);
            }
            // lane sums through an array: this method is large enough that C2 left a FloatMath.sum
            // call out of line (NodeCountInliningCutoff) and boxed its vector argument on every row
            accS.intoArray(lanes, 0);
            accH.intoArray(lanes, L);
            sums[0] += FloatMath.sum(lanes, 0);
            sums[1] += FloatMath.sum(lanes, L);
            for (int j = 0; j < e; j++) ga[i * e + j] = contractKernel(kRow, p.bT(), p.as()[i * e + j], j * mp, mp, gbT);
            for (int j = 0; j < d; j++) gx[i * d + j] = contractDistance(p.l1(), wRow, p.yT(), p.xs()[i * d + j], j * mp, mp, gyT);
        }
        return sums;
    }

    /**
     * {@link #rows} for d = e = 2 (the 2-d toy targets) in one sweep per row: at each lane block the distance, the
     * dot product, the kernel value and all four contractions (ga, gx, and the chunk's gbᵀ, gyᵀ), with no row
     * buffers and no second read of yᵀ and bᵀ: with two coordinates the four contraction passes of {@link #rows}
     * are mostly loads and stores (N = 500, one thread: 1.14× faster in 35 alternated rounds). Each sum is taken
     * in the order {@link #rows} takes it, so the two give the same bits (KsdRowsTest).
     */
    private static double[] rows2(Pairs p, Coefficients k, int lo, int hi, float[] gx, float[] ga, float[] gyT, float[] gbT) {
        int mp = p.mp();
        float[] xs = p.xs(), yT = p.yT(), as = p.as(), bT = p.bT();
        boolean l1 = p.l1(), exponential = k.exponential();
        float c = k.c(), wd = k.wd();
        double[] sums = new double[2];
        float[] lanes = new float[6 * L];
        FloatVector zero = FloatVector.zero(S);
        for (int i = lo; i < hi; i++) {
            FloatVector x0 = FloatVector.broadcast(S, xs[2 * i]), x1 = FloatVector.broadcast(S, xs[2 * i + 1]);
            FloatVector a0 = FloatVector.broadcast(S, as[2 * i]), a1 = FloatVector.broadcast(S, as[2 * i + 1]);
            FloatVector accS = zero, accH = zero, ga0 = zero, ga1 = zero, gx0 = zero, gx1 = zero;
            for (int q = 0; q < mp; q += L) {
                FloatVector diff0 = x0.sub(FloatVector.fromArray(S, yT, q)), diff1 = x1.sub(FloatVector.fromArray(S, yT, mp + q));
                // rows sums from a zero vector; 0 + |d| = |d| and fma(d, d, +0) = d·d exactly (neither can be −0): zero left out
                FloatVector dist = l1 ? diff0.lanewise(ABS).add(diff1.lanewise(ABS)) : diff1.fma(diff1, diff0.mul(diff0));
                FloatVector b0 = FloatVector.fromArray(S, bT, q), b1 = FloatVector.fromArray(S, bT, mp + q);
                FloatVector pv = b1.fma(a1, b0.fma(a0, zero));
                FloatVector kv = PairwiseF32.kernelValue(exponential, dist, c);
                FloatVector pt = pv.mul(exponential ? kv : kv.mul(kv).mul(kv)), w = pt.mul(wd);
                accS = kv.fma(pv, accS);
                accH = pt.fma(dist, accH);
                ga0 = b0.fma(kv, ga0);
                ga1 = b1.fma(kv, ga1);
                kv.fma(a0, FloatVector.fromArray(S, gbT, q)).intoArray(gbT, q);
                kv.fma(a1, FloatVector.fromArray(S, gbT, mp + q)).intoArray(gbT, mp + q);
                FloatVector t0 = w.mul(l1 ? PairwiseF32.sign(diff0) : diff0), t1 = w.mul(l1 ? PairwiseF32.sign(diff1) : diff1);
                gx0 = gx0.add(t0);
                gx1 = gx1.add(t1);
                FloatVector.fromArray(S, gyT, q).sub(t0).intoArray(gyT, q);
                FloatVector.fromArray(S, gyT, mp + q).sub(t1).intoArray(gyT, mp + q);
            }
            // lane sums through an array, as in rows (equal bits to FloatMath.sum of the vector: LaneSumTest)
            accS.intoArray(lanes, 0);
            accH.intoArray(lanes, L);
            ga0.intoArray(lanes, 2 * L);
            ga1.intoArray(lanes, 3 * L);
            gx0.intoArray(lanes, 4 * L);
            gx1.intoArray(lanes, 5 * L);
            sums[0] += FloatMath.sum(lanes, 0);
            sums[1] += FloatMath.sum(lanes, L);
            ga[2 * i] = FloatMath.sum(lanes, 2 * L);
            ga[2 * i + 1] = FloatMath.sum(lanes, 3 * L);
            gx[2 * i] = FloatMath.sum(lanes, 4 * L);
            gx[2 * i + 1] = FloatMath.sum(lanes, 5 * L);
        }
        return sums;
    }

    /** Returns Σ_q kRow·bᵀ[o + q] and adds kRow·a into gbᵀ[o + q]. */
    private static float contractKernel(float[] kRow, float[] bT, float ai, int o, int mp, float[] gbT) {
        FloatVector acc = FloatVector.zero(S), av = FloatVector.broadcast(S, ai);
        for (int q = 0; q < mp; q += L) {
            FloatVector kv = FloatVector.fromArray(S, kRow, q);
            acc = FloatVector.fromArray(S, bT, o + q).fma(kv, acc);
            kv.fma(av, FloatVector.fromArray(S, gbT, o + q)).intoArray(gbT, o + q);
        }
        return FloatMath.sum(acc);
    }

    /** With t = wRow·(x − yᵀ[o + q]) (or ·sign(x − yᵀ) for L1): returns Σ_q t and subtracts t from gyᵀ[o + q]. */
    private static float contractDistance(boolean l1, float[] wRow, float[] yT, float xi, int o, int mp, float[] gyT) {
        FloatVector acc = FloatVector.zero(S), xv = FloatVector.broadcast(S, xi);
        for (int q = 0; q < mp; q += L) {
            FloatVector diff = xv.sub(FloatVector.fromArray(S, yT, o + q));
            FloatVector t = FloatVector.fromArray(S, wRow, q).mul(l1 ? PairwiseF32.sign(diff) : diff);
            acc = acc.add(t);
            FloatVector.fromArray(S, gyT, o + q).sub(t).intoArray(gyT, o + q);
        }
        return FloatMath.sum(acc);
    }
}
