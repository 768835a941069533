package sivi.kernels.simd;

import java.util.Arrays;
import java.util.Locale;
import sivi.kernels.*;
import sivi.tensor.DType;
import sivi.tensor.Shapes;
import sivi.tensor.Tensor;

/**
 * The Vector API backend ({@code jdk.incubator.vector}, {@code SPECIES_PREFERRED} lanes) for F32
 * and F64. F32 kernels compute and accumulate in float, F64 in double; the F64 kernel classes are
 * generated from the F32 ones by {@code scripts/gen-simd-f64.sh}. With threads > 1 rows are split
 * statically over a fixed pool and partials are added in a fixed order, so results are
 * bit-identical run to run for a fixed thread count (and may differ in the last bits between
 * thread counts where a reduction is split).
 *
 * <p>Agreement with {@link sivi.kernels.ref.ScalarBackend} is stated per method with u the unit
 * roundoff of the dtype (2⁻²⁴ for F32, 2⁻⁵³ for F64). "Exact" means bitwise; "k ulps" is measured
 * in the output dtype.
 *
 * <p>Transcendentals: the Vector API's lanewise EXP/LOG/TANH/… and {@code reduceLanes(ADD)} give
 * different bits in interpreted and in C2-compiled code (the compiled EXP calls an SVML-style stub,
 * the interpreter {@code java.lang.Math}; the compiled ADD reduction sums in another order), so
 * results would depend on JIT timing and break the run-to-run contract of {@link Backend}. So exp,
 * expm1 and tanh are our own vector polynomials ({@link FloatMath}, {@link DoubleMath}; +, ×, FMA
 * and bit operations only), lane sums go in lane order, and log, log1p, softplus and pow call
 * {@code java.lang.Math} per lane (consistent across JIT tiers; bitwise equal to the oracle).
 */
public final class SimdBackend implements Backend {
    private final Par par;

    public SimdBackend(int threads) { this.par = new Par(threads); }

    @Override public String name() { return "simd"; }
    @Override public int threads() { return par.threads(); }

    @Override public void parts(int parts, java.util.function.IntConsumer body) {
        par.run(parts, 1, (c, lo, hi) -> { for (int k = lo; k < hi; k++) { int part = k; Kernels.run(this, () -> body.accept(part)); } });
    }
    @Override public void close() { par.close(); }

    private static boolean f32(DType dt) { return dt == DType.F32; }

    // ------------------------------------------------------------ elementwise

    /**
     * Exact for NEG, RELU, SQRT, SQUARE, ABS, SIGN, STEP, RECIPROCAL, LOG, LOG1P, SOFTPLUS; EXP within
     * 2 ulps; EXPM1, TANH, SIGMOID, SILU within 8 ulps (stable forms, no overflow at ±1e4; silu
     * results below the smallest normal number are only within 1024·MIN_VALUE absolute). Inf/NaN
     * behave as in the oracle (relu(NaN) = 0, sign keeps ±0 and NaN).
     */
    @Override public Tensor unary(Unary op, Tensor x) {
        return f32(x.dtype()) ? ElementwiseF32.unary(par, op, x) : ElementwiseF64.unary(par, op, x);
    }

    /** One pass per row segment: σ by the SIGMOID loop, then y − σ and σ·(1 − σ) while the row is in L1. */
    @Override public Tensor[] logisticTerms(Tensor z, Tensor y) {
        Checks.logisticTerms("logisticTerms", z, y);
        return f32(z.dtype()) ? ElementwiseF32.logisticTerms(par, z, y) : ElementwiseF64.logisticTerms(par, z, y);
    }

    /**
     * Exact for every op (POW goes through java.lang.Math per lane). Fast paths for
     * same shape, a size-1 operand and a last-axis row vector; other broadcasts materialise the
     * expanded operands first (correct, slower).
     */
    @Override public Tensor binary(Binary op, Tensor a, Tensor b) {
        String name = op.name().toLowerCase(Locale.ROOT);
        DType dt = Checks.sameDType(name, a, b);
        int[] s = Shapes.broadcast(name, a.shape(), b.shape());
        int n = Shapes.size(s);
        if (n == 0) return Tensor.zeros(dt, s);
        int[] as = pad(a.shape(), s.length), bs = pad(b.shape(), s.length);
        boolean aFull = Arrays.equals(as, s), bFull = Arrays.equals(bs, s);
        int cols = s.length == 0 ? 1 : s[s.length - 1];
        int aMode, bMode, rows = 1, width = n;
        if (aFull && bFull) { aMode = ElementwiseF32.FULL; bMode = ElementwiseF32.FULL; }
        else if (aFull && b.size() == 1) { aMode = ElementwiseF32.FULL; bMode = ElementwiseF32.SCALAR; }
        else if (bFull && a.size() == 1) { aMode = ElementwiseF32.SCALAR; bMode = ElementwiseF32.FULL; }
        else if (aFull && isRow(bs, s)) { aMode = ElementwiseF32.FULL; bMode = ElementwiseF32.ROW; rows = n / cols; width = cols; }
        else if (bFull && isRow(as, s)) { aMode = ElementwiseF32.ROW; bMode = ElementwiseF32.FULL; rows = n / cols; width = cols; }
        else { a = a.expand(s); b = b.expand(s); aMode = ElementwiseF32.FULL; bMode = ElementwiseF32.FULL; }
        return f32(dt) ? ElementwiseF32.binaryRows(par, op, a, aMode, b, bMode, rows, width, s)
                       : ElementwiseF64.binaryRows(par, op, a, aMode, b, bMode, rows, width, s);
    }

    private static int[] pad(int[] shape, int rank) {
        int[] p = new int[rank];
        Arrays.fill(p, 1);
        System.arraycopy(shape, 0, p, rank - shape.length, shape.length);
        return p;
    }

    /** True if (padded) shape p is 1 everywhere but the last axis, which matches s. */
    private static boolean isRow(int[] p, int[] s) {
        for (int i = 0; i < p.length - 1; i++) if (p[i] != 1) return false;
        return p.length > 0 && p[p.length - 1] == s[s.length - 1];
    }

    /** Exact. A condition of the other dtype is first turned into 0/1 of this dtype (cond != 0). */
    @Override public Tensor where(Tensor cond, Tensor a, Tensor b) {
        DType dt = Checks.sameDType("where", a, b);
        int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape(), a.shape()), b.shape());
        if (cond.dtype() != dt) {
            double[] c = cond.toDoubleArray();
            for (int i = 0; i < c.length; i++) c[i] = c[i] != 0 ? 1 : 0;
            cond = Tensor.of(dt, c, cond.shape());
        }
        Tensor c = cond.expand(s), ae = a.expand(s), be = b.expand(s);
        return f32(dt) ? ElementwiseF32.where(par, c, ae, be, s) : ElementwiseF64.where(par, c, ae, be, s);
    }

    /**
     * One FMA per element (scalars rounded to float for F32, as in the oracle); differs from the
     * oracle by at most 2 ulps of |a·x| + |b| (the oracle rounds a·x and the sum separately).
     */
    @Override public Tensor affine(Tensor x, double a, double b) {
        return f32(x.dtype()) ? ElementwiseF32.affine(par, x, a, b) : ElementwiseF64.affine(par, x, a, b);
    }

    // ------------------------------------------------------------ reductions

    /**
     * SUM/MEAN accumulate in the dtype with L-wide partial sums (last axis) or in order (other
     * axes): |error| ≤ len·u·Σ|x| + 1 ulp. MAX is exact (NaN propagates). LOGSUMEXP is max-shifted
     * (−∞ entries fine, all −∞ gives −∞, ±1e30 fine): |error| ≤ (len + 4)·u·max(1, |result|).
     */
    @Override public Tensor reduce(Reduce op, Tensor x, int axis, boolean keepDim) {
        Checks.ReduceGeometry geo = Checks.reduceGeometry(x.shape(), axis, keepDim);
        int outer = geo.outer(), len = geo.len(), inner = geo.inner();
        int[] ns = geo.outShape();
        return f32(x.dtype()) ? Tensor.wrap(ElementwiseF32.reduce(par, op, x, outer, len, inner), ns)
                              : Tensor.wrap(ElementwiseF64.reduce(par, op, x, outer, len, inner), ns);
    }

    /** As SUM in {@link #reduce}: leading axes are summed in one pass, then each size-1 axis. */
    @Override public Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int[] check = Shapes.broadcast("sumTo", shape, gs);
        if (!Arrays.equals(check, gs)) throw new IllegalArgumentException("sumTo: " + Shapes.str(gs) + " does not broadcast from " + Shapes.str(shape));
        int lead = gs.length - shape.length;
        Tensor t = g;
        if (lead > 0) {
            int[] flat = new int[shape.length + 1];
            flat[0] = Shapes.size(Arrays.copyOf(gs, lead));
            System.arraycopy(gs, lead, flat, 1, shape.length);
            t = reduce(Reduce.SUM, g.reshape(flat), 0, false);
        }
        for (int a = 0; a < shape.length; a++) if (shape[a] == 1 && gs[a + lead] != 1) t = reduce(Reduce.SUM, t, a, true);
        return t.reshape(shape);
    }

    // ------------------------------------------------------------ linear algebra

    /**
     * Packed register-blocked GEMM; any strides (transposed or sliced views are read in place).
     * Skinny shapes skip the packing: k ≤ 8 (row by row over the output columns), n ≤ 8 with k > 8
     * (dot products over contiguous rows of A, or axpy sweeps over contiguous columns of A); every
     * element's sum order is then independent of the thread count.
     * Accumulates in the dtype: |C − C_ref| ≤ k·u·(|A||B|) elementwise + 1 ulp (Higham's bound).
     */
    @Override public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        int[] mkn = Checks.matmulShape("matmul", a, b, transA, transB);
        return f32(a.dtype()) ? Tensor.wrap(gemmF32(a, b, transA, transB, mkn, null), mkn[0], mkn[2])
                : Tensor.wrap(gemmF64(a, b, transA, transB, mkn, null), mkn[0], mkn[2]);
    }

    /** The product's row blocks multiplied by H's while they are in cache: no second output, no second pass over C. */
    @Override public Tensor matmulTimes(Tensor a, Tensor b, Tensor h) {
        int[] mkn = Checks.matmulTimes("matmulTimes", a, b, h);
        Tensor hc = h.contiguous();
        int ho = hc.offset();
        if (f32(a.dtype())) {
            float[] hv = hc.floatStorage();
            return Tensor.wrap(gemmF32(a, b, false, false, mkn, (c, ldc, i0, i1, j0, j1) -> ElementwiseF32.timesRows(c, ldc, i0, i1, j0, j1, hv, ho)), mkn[0], mkn[2]);
        }
        double[] hv = hc.doubleStorage();
        return Tensor.wrap(gemmF64(a, b, false, false, mkn, (c, ldc, i0, i1, j0, j1) -> ElementwiseF64.timesRows(c, ldc, i0, i1, j0, j1, hv, ho)), mkn[0], mkn[2]);
    }

    /** The logits' row blocks turned into y − σ in place, σ(1 − σ) alongside, while they are in cache (no logits array). */
    @Override public Tensor[] logisticTerms(Tensor a, Tensor b, Tensor y) {
        int[] mkn = Checks.logisticTerms("logisticTerms", a, b, y);
        int m = mkn[0], n = mkn[2];
        Tensor yc = y.contiguous();
        int yo = yc.offset(), row = Math.max(1, yc.size());
        if (f32(a.dtype())) {
            float[] yv = yc.floatStorage(), curv = new float[m * n];
            float[] resid = gemmF32(a, b, false, false, mkn, (c, ldc, i0, i1, j0, j1) -> ElementwiseF32.logisticRows(c, ldc, i0, i1, j0, j1, yv, yo, row, curv));
            return new Tensor[] {Tensor.wrap(resid, m, n), Tensor.wrap(curv, m, n)};
        }
        double[] yv = yc.doubleStorage(), curv = new double[m * n];
        double[] resid = gemmF64(a, b, false, false, mkn, (c, ldc, i0, i1, j0, j1) -> ElementwiseF64.logisticRows(c, ldc, i0, i1, j0, j1, yv, yo, row, curv));
        return new Tensor[] {Tensor.wrap(resid, m, n), Tensor.wrap(curv, m, n)};
    }

    /** By blocks of rows ({@link ChainF32}): a block's logits become y − σ in a cached scratch array and are multiplied by C at once. */
    @Override public Tensor[] logisticScore(Tensor a, Tensor b, Tensor y, Tensor c) {
        int[] mkne = Checks.logisticScore("logisticScore", a, b, y, c);
        int m = mkne[0], k = mkne[1], n = mkne[2], e = mkne[3];
        Tensor yc = y.contiguous();
        int row = Math.max(1, yc.size());
        // y is one row broadcast down the logits (paired by column) or the logits' whole shape (offset by the block)
        int yo = yc.offset(), yStep = row == m * n ? n : 0;
        int[] sa = a.strides(), sb = b.strides(), sc = c.strides();
        if (f32(a.dtype())) {
            float[] yv = yc.floatStorage(), curv = new float[m * n];
            float[] out = ChainF32.apply(par, m, k, n, e, a.floatStorage(), a.offset(), sa[0], sa[1], b.floatStorage(), b.offset(), sb[0], sb[1],
                    c.floatStorage(), c.offset(), sc[0], sc[1],
                    (mid, r0, rows, nn) -> ElementwiseF32.logisticRange(mid, 0, yv, yo + r0 * yStep, row, mid, curv, r0 * nn, 0, rows * nn));
            return new Tensor[] {Tensor.wrap(out, m, e), Tensor.wrap(curv, m, n)};
        }
        double[] yv = yc.doubleStorage(), curv = new double[m * n];
        double[] out = ChainF64.apply(par, m, k, n, e, a.doubleStorage(), a.offset(), sa[0], sa[1], b.doubleStorage(), b.offset(), sb[0], sb[1],
                c.doubleStorage(), c.offset(), sc[0], sc[1],
                (mid, r0, rows, nn) -> ElementwiseF64.logisticRange(mid, 0, yv, yo + r0 * yStep, row, mid, curv, r0 * nn, 0, rows * nn));
        return new Tensor[] {Tensor.wrap(out, m, e), Tensor.wrap(curv, m, n)};
    }

    /** By blocks of rows ({@link ChainF32}): a block's (A·B) ⊙ H in a cached scratch array, multiplied by C at once. */
    @Override public Tensor matmulTimesMatmul(Tensor a, Tensor b, Tensor h, Tensor c) {
        int[] mkne = Checks.matmulTimesMatmul("matmulTimesMatmul", a, b, h, c);
        int m = mkne[0], k = mkne[1], n = mkne[2], e = mkne[3];
        Tensor hc = h.contiguous();
        int ho = hc.offset();
        int[] sa = a.strides(), sb = b.strides(), sc = c.strides();
        if (f32(a.dtype())) {
            float[] hv = hc.floatStorage();
            return Tensor.wrap(ChainF32.apply(par, m, k, n, e, a.floatStorage(), a.offset(), sa[0], sa[1], b.floatStorage(), b.offset(), sb[0], sb[1],
                    c.floatStorage(), c.offset(), sc[0], sc[1],
                    (mid, r0, rows, nn) -> ElementwiseF32.timesRows(mid, nn, 0, rows, 0, nn, hv, ho + r0 * nn)), m, e);
        }
        double[] hv = hc.doubleStorage();
        return Tensor.wrap(ChainF64.apply(par, m, k, n, e, a.doubleStorage(), a.offset(), sa[0], sa[1], b.doubleStorage(), b.offset(), sb[0], sb[1],
                c.doubleStorage(), c.offset(), sc[0], sc[1],
                (mid, r0, rows, nn) -> ElementwiseF64.timesRows(mid, nn, 0, rows, 0, nn, hv, ho + r0 * nn)), m, e);
    }

    private float[] gemmF32(Tensor a, Tensor b, boolean transA, boolean transB, int[] mkn, GemmF32.Epilogue ep) {
        int[] sa = a.strides(), sb = b.strides();
        float[] c = new float[mkn[0] * mkn[2]];
        GemmF32.gemm(par, GemmF32.MUL, mkn[0], mkn[2], mkn[1], a.floatStorage(), a.offset(), transA ? sa[1] : sa[0], transA ? sa[0] : sa[1],
                b.floatStorage(), b.offset(), transB ? sb[1] : sb[0], transB ? sb[0] : sb[1], c, ep);
        return c;
    }

    private double[] gemmF64(Tensor a, Tensor b, boolean transA, boolean transB, int[] mkn, GemmF64.Epilogue ep) {
        int[] sa = a.strides(), sb = b.strides();
        double[] c = new double[mkn[0] * mkn[2]];
        GemmF64.gemm(par, GemmF64.MUL, mkn[0], mkn[2], mkn[1], a.doubleStorage(), a.offset(), transA ? sa[1] : sa[0], transA ? sa[0] : sa[1],
                b.doubleStorage(), b.offset(), transB ? sb[1] : sb[0], transB ? sb[0] : sb[1], c, ep);
        return c;
    }

    // ------------------------------------------------------------ pairwise kernels

    /**
     * Direct difference form Σ_k (x_nk − y_mk)² in a GEMM-shaped micro-kernel, so it is exactly 0
     * for identical points and every term is non-negative: relative error ≤ (d + 3)·u.
     */
    @Override public Tensor sqDist(Tensor x, Tensor y) {
        Checks.pairDims("sqDist", x, y);
        return f32(x.dtype()) ? PairwiseF32.sqDist(par, x, y) : PairwiseF64.sqDist(par, x, y);
    }

    /**
     * d ≤ 16: one fused pass over w in the direct form t = w_nm·(x_n − y_m), gx_n = Σ_m t (lane
     * partials), gy_m = −Σ_n t (per-chunk partials added in chunk order):
     * |error of gx_n| ≤ (M + 3)·u·Σ_m |w_nm|·|x_n − y_m|, of gy_m ≤ (N + 3)·u·Σ_n |w_nm|·|x_n − y_m|.
     * d > 16: two GEMMs, gx = rowsum(w)∘x − w y and gy = colsum(w)∘y − wᵀ x, on points shifted by
     * the mean of y (shift invariant; keeps the cancellation local):
     * |error of gx_n| ≤ (M + N + 4)·u·Σ_m |w_nm|·(|x_n| + |y_m| + max|y|) per coordinate, and
     * symmetrically for gy (max|y| bounds the shift). No N×M×d temporaries either way.
     */
    @Override public Tensor[] distContract(Tensor w, Tensor x, Tensor y) {
        Checks.pairDims("distContract", x, y);
        Checks.pairWeights("distContract", w, x, y);
        return f32(x.dtype()) ? PairwiseF32.distContract(par, w, x, y) : PairwiseF64.distContract(par, w, x, y);
    }

    /**
     * Direct form Σ_k |x_nk − y_mk|, lanes over m, summed over k in order in the dtype: every term
     * is ≥ 0, so the relative error is ≤ (d + 1)·u; exactly 0 for identical points.
     */
    @Override public Tensor l1Dist(Tensor x, Tensor y) {
        Checks.pairDims("l1Dist", x, y);
        return f32(x.dtype()) ? PairwiseF32.l1Dist(par, x, y) : PairwiseF64.l1Dist(par, x, y);
    }

    /**
     * One fused pass over w, t = w_nm·sign(x_n − y_m) per coordinate: gx_n = Σ_m t (lane partials),
     * gy_m = −Σ_n t (per-chunk partials added in chunk order). The signs are exact, so
     * |error of gx_n| ≤ (M + 3)·u·Σ_m |w_nm| and |error of gy_m| ≤ (N + 3)·u·Σ_n |w_nm| per coordinate.
     */
    @Override public Tensor[] l1DistContract(Tensor w, Tensor x, Tensor y) {
        Checks.pairDims("l1DistContract", x, y);
        Checks.pairWeights("l1DistContract", w, x, y);
        return f32(x.dtype()) ? PairwiseF32.l1DistContract(par, w, x, y) : PairwiseF64.l1DistContract(par, w, x, y);
    }

    /**
     * RBF as e^{D·c} with c = −1/(2h²) rounded to the dtype: within 4 ulps plus a relative
     * 3u·D/(2h²) (the rounded exponent); Laplace likewise with c = −1/h: 4 ulps plus 3u·D/h;
     * IMQ as 1/√(1 + D·(1/h)): within 4 ulps.
     */
    @Override public Tensor kernelFromSqDist(StationaryKernel kernel, Tensor dist2, double h) {
        return f32(dist2.dtype()) ? PairwiseF32.kernel(par, kernel, dist2, h) : PairwiseF64.kernel(par, kernel, dist2, h);
    }

    /** gD within 6 ulps; gh = Σ gK ∂k/∂h, partial sums of 4096 terms in the dtype then in double: |error| ≤ (n + 8)·u·Σ|terms| + 1 ulp. */
    @Override public Tensor[] kernelFromSqDistBackward(StationaryKernel kernel, Tensor dist2, Tensor k, double h, Tensor gK) {
        Checks.sameDType("kernelFromSqDistBackward", dist2, k, gK);
        if (k.size() != dist2.size() || gK.size() != dist2.size())
            throw new IllegalArgumentException("kernelFromSqDistBackward: D " + Shapes.str(dist2.shape()) + ", K " + Shapes.str(k.shape()) + " and gK " + Shapes.str(gK.shape()) + " must have the same size");
        return f32(dist2.dtype()) ? PairwiseF32.kernelBackward(par, kernel, dist2, k, gK, h) : PairwiseF64.kernelBackward(par, kernel, dist2, k, gK, h);
    }

    /**
     * One pass over the pairs in the dtype, lanes over m (see {@code KsdF32}): D as sqDist/l1Dist,
     * k as kernelFromSqDist, p = a_n·b_m by e fused multiply-adds, each row's M terms k·p summed
     * in lane partials, rows in double: |error| ≤ u·Σ_{n,m} |k p|·(M + e + 12 + (d + 6)·|c|·D)
     * with c the exponent's coefficient (−1/(2h²) RBF, −1/h Laplace; for IMQ use 1/h).
     */
    @Override public Tensor ksdQuadratic(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Checks.ksdShapes("ksdQuadratic", x, y, a, b);
        return f32(x.dtype()) ? KsdF32.forward(par, kernel, x, y, a, b, h) : KsdF64.forward(par, kernel, x, y, a, b, h);
    }

    /**
     * One pass over the pairs: per row of x, S's and gh's row sums as in the forward, k and the
     * distance weight into two row buffers, then gx, ga as lane sums over them and gy, gb as
     * per-chunk partials added in chunk order. Error bounds: the forward's, with the sum's length
     * N for the y side (tested in BackendContract through KsdBounds).
     */
    @Override public Tensor[] ksdQuadraticWithGradient(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Checks.ksdShapes("ksdQuadraticWithGradient", x, y, a, b);
        return f32(x.dtype()) ? KsdF32.withGradient(par, kernel, x, y, a, b, h) : KsdF64.withGradient(par, kernel, x, y, a, b, h);
    }

    /**
     * Exact. F32: radix select on the order-preserving integer image of the floats, in place
     * (two passes over the data, O(n), split over the threads; the same element as the sorted oracle, sign of zero
     * included). F64: introselect on a copy (the sign of a zero median fixed up as the sort's).
     */
    @Override public double median(Tensor x) {
        if (f32(x.dtype())) { Tensor c = x.contiguous(); return Select.lowerMedian(par, c.floatStorage(), c.offset(), c.size()); }
        return Select.lowerMedian(x.toDoubleArray());
    }

    /**
     * The distances in this thread's reused buffer (sqDist's / l1Dist's kernels, so the same bits), the median by
     * {@link #median}'s selection and the first match by a vector search, each split over the threads; no N×M array is
     * allocated or handed out.
     */
    @Override public sivi.kernels.PairMedian pairwiseMedian(Tensor x, Tensor y, boolean l1) {
        Checks.pairDims(l1 ? "l1Dist" : "sqDist", x, y);
        return f32(x.dtype()) ? PairwiseF32.median(par, x, y, l1) : PairwiseF64.median(par, x, y, l1);
    }

    // ------------------------------------------------------------ log-sum-exp mixture

    /**
     * Per row, vectorised over components; shared 1×d logSigma goes through the squared-distance
     * kernel on x/σ and μ/σ. |error| ≤ (d + K + 8)·u·(1 + max_k Σ_j (½z² + |log σ| + 1)) absolute.
     */
    @Override public Tensor lseMixture(Tensor x, Tensor mu, Tensor logSigma) {
        boolean shared = Checks.mixture("lseMixture", x, mu, logSigma);
        return f32(x.dtype()) ? MixtureF32.forward(par, x, mu, logSigma, shared) : MixtureF64.forward(par, x, mu, logSigma, shared);
    }

    /**
     * One pass over rows; gμ and glogσ are accumulated in per-chunk partials added in chunk order.
     * |error| ≤ (N + K + d + 8)·u·(2 + S)·Σ|terms|, with Σ|terms| the sum of the absolute values of
     * the summands and S the forward's max_k Σ_j (½z² + |log σ| + 1) (the responsibilities inherit ℓ's error).
     */
    @Override public Tensor[] lseMixtureBackward(Tensor x, Tensor mu, Tensor logSigma, Tensor gOut) {
        Checks.mixture("lseMixtureBackward", x, mu, logSigma);
        Checks.sameDType("lseMixtureBackward", x, gOut);
        if (gOut.size() != x.dim(0)) throw new IllegalArgumentException("lseMixtureBackward: gOut " + Shapes.str(gOut.shape()) + " must have " + x.dim(0) + " elements");
        return f32(x.dtype()) ? MixtureF32.backward(par, x, mu, logSigma, gOut) : MixtureF64.backward(par, x, mu, logSigma, gOut);
    }

    // ------------------------------------------------------------ conditional layer

    /**
     * GEMM with a fused bias + activation epilogue: pre within (I + 3)·u·(|b| + Σ|x||W|), then the
     * activation (1.1-Lipschitz at most) adds its {@link #unary} ulps.
     */
    @Override public Tensor dense(Activation act, Tensor x, Tensor w, Tensor b) {
        Checks.dense("dense", x, w, b);
        return f32(x.dtype()) ? DenseF32.forward(par, act, x, w, b) : DenseF64.forward(par, act, x, w, b);
    }

    /**
     * act' is taken from y where that is exact (see DenseF32#backward), silu recomputes pre; then
     * two GEMMs and a column sum, each within the matmul / SUM bound over their inner length.
     */
    @Override public Tensor[] denseBackward(Activation act, Tensor x, Tensor w, Tensor b, Tensor y, Tensor gy) {
        return denseBackward(act, x, w, b, y, gy, true, true);
    }

    /** Skips the GEMM (and the column sum) whose output is not wanted. */
    @Override public Tensor[] denseBackward(Activation act, Tensor x, Tensor w, Tensor b, Tensor y, Tensor gy, boolean wantX, boolean wantParams) {
        int o = Checks.dense("denseBackward", x, w, b);
        Checks.sameDType("denseBackward", x, y, gy);
        if (y.size() != x.dim(0) * o || gy.size() != x.dim(0) * o)
            throw new IllegalArgumentException("denseBackward: y " + Shapes.str(y.shape()) + " and gy " + Shapes.str(gy.shape()) + " must be [" + x.dim(0) + ", " + o + "]");
        return f32(x.dtype()) ? DenseF32.backward(par, act, x, w, b, y, gy, wantX, wantParams) : DenseF64.backward(par, act, x, w, b, y, gy, wantX, wantParams);
    }

    // ------------------------------------------------------------ a ReLU regression network per draw

    /** Blocks of draws kept in cache through forward and gradient ({@link ReluNetF32}); sums in the dtype. */
    @Override public Tensor reluNetGradient(Tensor x, Tensor y, Tensor theta, Tensor v, int hidden, double c) {
        Checks.reluNet("reluNetGradient", x, y, theta, v, hidden);
        return f32(x.dtype()) ? ReluNetF32.gradient(par, x, y, theta, v, hidden, c) : ReluNetF64.gradient(par, x, y, theta, v, hidden, c);
    }
}
