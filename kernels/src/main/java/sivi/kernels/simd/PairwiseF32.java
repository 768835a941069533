package sivi.kernels.simd;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import sivi.kernels.PairMedian;
import sivi.kernels.fused.median.PairwiseBlocks;
import sivi.kernels.StationaryKernel;
import sivi.tensor.Tensor;

/** Pairwise kernels on float arrays: squared and L1 distances, their contractions, radial kernels. */
final class PairwiseF32 {
    private PairwiseF32() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Elements summed in float before the partial is added into a double. */
    private static final int BLOCK = 4096;

    /** D = ||x_n − y_m||² by the direct difference form on the GEMM driver (y read transposed). */
    static Tensor sqDist(Par par, Tensor x, Tensor y) {
        float[] out = new float[x.dim(0) * y.dim(0)];
        sqDistInto(par, x, y, out);
        return Tensor.wrap(out, x.dim(0), y.dim(0));
    }

    /** sqDist into out[0, N·M), which must be zero there on entry (the GEMM driver adds into C). */
    private static void sqDistInto(Par par, Tensor x, Tensor y, float[] out) {
        Tensor xc = x.contiguous(), yc = y.contiguous();
        int n = x.dim(0), m = y.dim(0), d = x.dim(1);
        GemmF32.gemm(par, GemmF32.SQ, n, m, d, xc.floatStorage(), xc.offset(), d, 1, yc.floatStorage(), yc.offset(), 1, d, out, null);
    }

    /** Elements per chunk of the median's parallel passes (fill, search). */
    private static final int MEDIAN_GRAIN = 1 << 16;

    /**
     * The lower median of sqDist (l1Dist when l1) and its first entry, the distances in this thread's reused buffer:
     * the same kernels, so the same bits as {@code median(sqDist(x, y))} and a search of that matrix, without a fresh
     * N×M array per call (at N = 500 allocating and zeroing 1 MB of cold memory took about as long as the distances).
     * Above {@link PairwiseBlocks#WHOLE_MATRIX_LIMIT} entries, {@link PairwiseBlocks} over blocks of rows in that buffer;
     * below it, for few coordinates, {@link StreamedMedianF32} without the buffer (the stored path when its pivots miss).
     */
    static PairMedian median(Par par, Tensor x, Tensor y, boolean l1) {
        int n = x.dim(0), m = y.dim(0);
        if ((long) n * m == 0) throw new IllegalArgumentException("pairwiseMedian of an empty distance matrix (" + n + "×" + m + ")");
        if ((long) n * m > PairwiseBlocks.WHOLE_MATRIX_LIMIT)   // blocks of rows, each written into the same reused buffer
            return PairwiseBlocks.of((r0, r1, c0) -> {
                Tensor xs = x.slice(0, r0, r1), ys = c0 == 0 ? y : y.slice(0, c0, m);
                int entries = (r1 - r0) * (m - c0);
                float[] buf = Scratch.floats(Scratch.PAIR_DIST, entries);
                distancesInto(par, xs, ys, l1, buf);
                return Tensor.wrap(buf, buf.length).slice(0, 0, entries).reshape(r1 - r0, m - c0);
            }, n, m, Float.SIZE == 32, x == y, PairwiseBlocks.BLOCK_ENTRIES);   // Float.SIZE: true here, false in the F64 twin
        int size = n * m;
        if (x.dim(1) <= StreamedMedianF32.MAX_D && size >= Select.RADIX_MIN) {   // recomputed, not stored
            PairMedian r = StreamedMedianF32.of(par, x, y, l1);
            if (r != null) return r;
        }
        float[] dist = Scratch.floats(Scratch.PAIR_DIST, size);
        distancesInto(par, x, y, l1, dist);
        double v = Select.lowerMedian(par, dist, 0, size);
        int at = firstMatch(par, dist, size, (float) v);
        return at < 0 ? new PairMedian(v, -1, -1) : new PairMedian(v, at / m, at % m);
    }

    /** l1Dist or sqDist into out[0, N·M) of a reused buffer (zeroed first for sqDist, whose GEMM driver adds into C). */
    private static void distancesInto(Par par, Tensor x, Tensor y, boolean l1, float[] out) {
        if (l1) { l1DistInto(par, x, y, out); return; }
        int m = y.dim(0);
        par.run(x.dim(0), Math.max(1, MEDIAN_GRAIN / Math.max(1, m)), (ch, lo, hi) -> java.util.Arrays.fill(out, lo * m, hi * m, 0f));
        sqDistInto(par, x, y, out);
    }

    /** Smallest i < n with a[i] == v, else −1: each chunk searches its range, the first chunk with a match wins. */
    private static int firstMatch(Par par, float[] a, int n, float v) {
        int chunks = par.chunks(n, MEDIAN_GRAIN);
        if (chunks == 1) return FirstMatchF32.of(a, 0, n, v);
        int[] at = new int[chunks];
        par.run(n, MEDIAN_GRAIN, (ch, lo, hi) -> { int i = FirstMatchF32.of(a, lo, hi - lo, v); at[ch] = i < 0 ? -1 : lo + i; });
        for (int i : at) if (i >= 0) return i;
        return -1;
    }

    /** Up to this dimension distContract is one fused pass over w; above it, two GEMMs. */
    static final int FUSED_D = 16;

    /**
     * d ≤ {@link #FUSED_D}: one pass over the rows of w in the direct form, t = w[n,m]·(x_n − y_m):
     * gx[n] = Σ_m t (lane partials over m, summed in lane order), gy[m] −= t accumulated per chunk of
     * rows (partials added in chunk order). Larger d: {@link #distContractGemm}.
     */
    static Tensor[] distContract(Par par, Tensor w, Tensor x, Tensor y) {
        if (x.dim(1) > FUSED_D) return distContractGemm(par, w, x, y);
        return fusedContract(par, w, x, y, false);
    }

    /**
     * The pass over the rows of w both fused contractions share (t = w·(x − y), or w·sign(x − y) with
     * l1): rows split over chunks, one gyᵀ partial per chunk.
     */
    private static Tensor[] fusedContract(Par par, Tensor w, Tensor x, Tensor y, boolean l1) {
        int n = x.dim(0), m = y.dim(0), d = x.dim(1);
        Tensor wc = w.contiguous();
        float[] wv = wc.floatStorage();
        int wo = wc.offset();
        float[] xs = x.contiguous().toFloatArray(), yT = transposed(y), gx = new float[n * d], gy = new float[m * d];
        if (n == 0 || m == 0 || d == 0) return new Tensor[] {Tensor.wrap(gx, n, d), Tensor.wrap(gy, m, d)};
        int grain = Math.max(1, (1 << 16) / Math.max(1, m * d));
        float[][] part = new float[par.chunks(n, grain)][];
        par.run(n, grain, (ch, lo, hi) -> {
            float[] g = new float[d * m];
            part[ch] = g;
            contractRows(l1, lo, hi, m, d, wv, wo, xs, yT, g, gx);
        });
        addPartials(part, m, m, d, gy);
        return new Tensor[] {Tensor.wrap(gx, n, d), Tensor.wrap(gy, m, d)};
    }

    /** yᵀ (d×M) of y (M×d), so that the lanes run over m. */
    private static float[] transposed(Tensor y) { return transposed(y, y.dim(0)); }

    /** yᵀ (d×stride, stride ≥ M) of y (M×d), zero past column M. */
    static float[] transposed(Tensor y, int stride) {
        int m = y.dim(0), d = y.dim(1);
        float[] ys = y.contiguous().toFloatArray(), yT = new float[d * stride];
        for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) yT[j * stride + i] = ys[i * d + j];
        return yT;
    }

    /** gy[m, k] = Σ_chunks part[c][k·stride + m], in chunk order (the thread-count-deterministic reduction). */
    static void addPartials(float[][] part, int m, int stride, int d, float[] gy) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < d; j++) {
                float s = 0;
                for (float[] g : part) s += g[j * stride + i];
                gy[i * d + j] = s;
            }
    }

    /**
     * Rows [lo, hi) of a fused contraction, t = w[n,m]·(x_n − y_m) (l1: ·sign(x_n − y_m)): gx rows
     * written, the rows' terms subtracted from the chunk's gyᵀ partial g.
     */
    private static void contractRows(boolean l1, int lo, int hi, int m, int d, float[] wv, int wo, float[] xs, float[] yT, float[] g, float[] gx) {
        int ub = S.loopBound(m);
        for (int i = lo; i < hi; i++) {
            int wr = wo + i * m;
            for (int j = 0; j < d; j++) {
                FloatVector xj = FloatVector.broadcast(S, xs[i * d + j]), acc = FloatVector.zero(S);
                int yo = j * m, q = 0;
                for (; q < ub; q += L) {
                    FloatVector diff = xj.sub(FloatVector.fromArray(S, yT, yo + q));
                    FloatVector t = FloatVector.fromArray(S, wv, wr + q).mul(l1 ? sign(diff) : diff);
                    acc = acc.add(t);
                    FloatVector.fromArray(S, g, yo + q).sub(t).intoArray(g, yo + q);
                }
                float tail = 0, xs1 = xs[i * d + j];
                for (; q < m; q++) {   // scalar tail: the same products, no masked vector at the array end
                    float diff = xs1 - yT[yo + q], t = wv[wr + q] * (l1 ? Math.signum(diff) : diff);
                    tail += t;
                    g[yo + q] -= t;
                }
                gx[i * d + j] = FloatMath.sum(acc) + tail;
            }
        }
    }

    /**
     * D = Σ_k |x_nk − y_mk|: per row of x, lanes over m of yᵀ, k summed in order in a register
     * (no N×M×d temporary; each output element written once).
     */
    static Tensor l1Dist(Par par, Tensor x, Tensor y) {
        float[] out = new float[x.dim(0) * y.dim(0)];
        l1DistInto(par, x, y, out);
        return Tensor.wrap(out, x.dim(0), y.dim(0));
    }

    /** l1Dist into out[0, N·M) (every entry written). */
    private static void l1DistInto(Par par, Tensor x, Tensor y, float[] out) {
        int n = x.dim(0), m = y.dim(0), d = x.dim(1);
        if (n == 0 || m == 0) return;
        float[] xs = x.contiguous().toFloatArray(), yT = transposed(y);
        int grain = Math.max(1, (1 << 16) / Math.max(1, m * Math.max(1, d)));
        par.run(n, grain, (ch, lo, hi) -> l1Rows(lo, hi, m, d, xs, yT, out, lo * m));
    }

    /** Rows [lo, hi) of the L1 distances (yᵀ's row stride m) into out, row i at out[o + (i − lo)·m]. */
    static void l1Rows(int lo, int hi, int m, int d, float[] xs, float[] yT, float[] out, int o) {
        int ub = S.loopBound(m);
        for (int i = lo; i < hi; i++) {
            int q = 0;
            for (; q < ub; q += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int j = 0; j < d; j++) acc = acc.add(FloatVector.broadcast(S, xs[i * d + j]).sub(FloatVector.fromArray(S, yT, j * m + q)).lanewise(ABS));
                acc.intoArray(out, o + (i - lo) * m + q);
            }
            if (q < m) {
                VectorMask<Float> mk = S.indexInRange(q, m);
                FloatVector acc = FloatVector.zero(S);
                for (int j = 0; j < d; j++) acc = acc.add(FloatVector.broadcast(S, xs[i * d + j]).sub(FloatVector.fromArray(S, yT, j * m + q, mk)).lanewise(ABS));
                acc.intoArray(out, o + (i - lo) * m + q, mk);
            }
        }
    }

    /**
     * The backward of l1Dist in one pass over the rows of w, t = w[n,m]·sign(x_n − y_m) per
     * coordinate: gx[n] = Σ_m t (lane partials, summed in lane order), gy[m] −= t per chunk of rows
     * (partials added in chunk order) — the layout of {@link #distContract}, for every d.
     */
    static Tensor[] l1DistContract(Par par, Tensor w, Tensor x, Tensor y) {
        return fusedContract(par, w, x, y, true);
    }

    /** Math.signum lanewise: ±1, 0 at a tie, NaN for NaN (the Vector API has no SIGNUM). */
    static FloatVector sign(FloatVector diff) {
        FloatVector zero = FloatVector.zero(S);
        return zero.blend((float) 1, diff.compare(GT, (float) 0)).blend((float) -1, diff.compare(LT, (float) 0)).blend(diff, diff.test(IS_NAN));
    }

    /**
     * gx = rowsum(w)∘x − w y and gy = colsum(w)∘y − wᵀ x, on points shifted by the mean of y
     * (the result is shift invariant, and the shift removes the cancellation a far-off origin causes).
     */
    static Tensor[] distContractGemm(Par par, Tensor w, Tensor x, Tensor y) {
        int n = x.dim(0), m = y.dim(0), d = x.dim(1);
        Tensor wc = w.contiguous();
        float[] wv = wc.floatStorage();
        int wo = wc.offset();
        float[] xs = x.contiguous().toFloatArray(), ys = y.contiguous().toFloatArray();
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int i = 0; i < m; i++) s += ys[i * d + j];
            float c = m == 0 ? 0 : (float) (s / m);
            for (int i = 0; i < n; i++) xs[i * d + j] -= c;
            for (int i = 0; i < m; i++) ys[i * d + j] -= c;
        }
        // Both products read w row by row: gx ← w y (N×d) and gyT ← xᵀ w (d×M), the transpose of wᵀ x.
        float[] gx = new float[n * d], gyT = new float[d * m], gy = new float[m * d];
        GemmF32.gemm(par, GemmF32.MUL, n, d, m, wv, wo, m, 1, ys, 0, d, 1, gx, null);
        GemmF32.gemm(par, GemmF32.MUL, d, m, n, xs, 0, 1, d, wv, wo, m, 1, gyT, null);
        float[] rs = ElementwiseF32.reduce(par, sivi.kernels.Reduce.SUM, wc, n, m, 1);
        float[] cs = ElementwiseF32.reduce(par, sivi.kernels.Reduce.SUM, wc, 1, n, m);
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) gx[i * d + j] = rs[i] * xs[i * d + j] - gx[i * d + j];
        for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) gy[i * d + j] = cs[i] * ys[i * d + j] - gyT[j * m + i];
        return new Tensor[] {Tensor.wrap(gx, n, d), Tensor.wrap(gy, m, d)};
    }

    static Tensor kernel(Par par, StationaryKernel kernel, Tensor dist2, double h) {
        Tensor dc = dist2.contiguous();
        float[] a = dc.floatStorage(), out = new float[dc.size()];
        int off = dc.offset();
        float c = valueCoefficient(kernel, h);
        par.run(out.length, ElementwiseF32.GRAIN, (ch, lo, hi) -> kernelRange(kernel != StationaryKernel.IMQ, a, off, out, c, lo, hi));
        return Tensor.wrap(out, dist2.shape());
    }

    /** c of k = e^{c D} (RBF: −1/(2h²), Laplace: −1/h) or of k = 1/√(1 + c D) (IMQ: 1/h), rounded to the dtype. */
    static float valueCoefficient(StationaryKernel kernel, double h) {
        return (float) switch (kernel) {
            case RBF -> -1 / (2 * h * h);
            case LAPLACE -> -1 / h;
            case IMQ -> 1 / h;
        };
    }

    /**
     * Exponential kernel values below 2^(MIN_EXPONENT + 26) (float 2⁻¹⁰⁰, double 2⁻⁹⁹⁶) are taken as 0: the KSD pass
     * multiplies k by score products and coordinates, and with k that small a factor below 2⁻²⁶ gives a subnormal.
     */
    private static final float LOG_K_MIN = (float) ((Float.MIN_EXPONENT + 26) * Math.log(2));

    /**
     * k(D) lanewise: e^{c D} (RBF, Laplace) or 1/√(1 + c D) (IMQ), c = {@link #valueCoefficient}; an exponential below
     * e^{LOG_K_MIN} is 0. Subnormal values cost a microcode assist in every vector op that reads or writes one: the
     * KSD pass ran 8–16× slower per pair with a bandwidth that put many pairs far apart (N = 1000, d = 2: far-apart
     * modes, spread-out early draws). A term k·p dropped here is below 2⁻¹⁰⁰·|p|: it changes a float sum only if every
     * term of that sum is as small.
     */
    static FloatVector kernelValue(boolean exponential, FloatVector dist, float c) {
        if (!exponential) return FloatVector.broadcast(S, (float) 1).div(dist.fma(c, (float) 1).lanewise(SQRT));
        FloatVector x = dist.mul(c);
        VectorMask<Float> tiny = x.compare(LT, LOG_K_MIN);
        return FloatMath.exp(x.blend(FloatVector.broadcast(S, LOG_K_MIN), tiny)).blend((float) 0, tiny);
    }

    /**
     * With t = k (RBF, Laplace) or k³ (IMQ): ∂k/∂D = cd·t and ∂k/∂h = ch·t·D; this is cd
     * (RBF: −1/(2h²), Laplace: −1/h, IMQ: −1/(2h)).
     */
    static double distanceCoefficient(StationaryKernel kernel, double h) {
        return switch (kernel) {
            case RBF -> -1 / (2 * h * h);
            case LAPLACE -> -1 / h;
            case IMQ -> -0.5 / h;
        };
    }

    /** ch of {@link #distanceCoefficient} (RBF: 1/h³, Laplace: 1/h², IMQ: 1/(2h²)). */
    static double bandwidthCoefficient(StationaryKernel kernel, double h) {
        return switch (kernel) {
            case RBF -> 1 / (h * h * h);
            case LAPLACE -> 1 / (h * h);
            case IMQ -> 0.5 / (h * h);
        };
    }

    /** RBF and Laplace: e^{c D} with c = −1/(2h²) or −1/h; IMQ: 1/√(1 + c D) with c = 1/h. */
    private static void kernelRange(boolean exponential, float[] a, int off, float[] out, float c, int lo, int hi) {
        FloatVector one = FloatVector.broadcast(S, (float) 1);
        int ub = lo + S.loopBound(hi - lo), i = lo;
        // Unmasked main loop, one masked tail: a mask in every iteration costs a lane-by-lane index check near the array end.
        if (exponential) {
            for (; i < ub; i += L) FloatMath.exp(FloatVector.fromArray(S, a, off + i).mul(c)).intoArray(out, i);
            if (i < hi) {
                VectorMask<Float> mk = S.indexInRange(i, hi);
                FloatMath.exp(FloatVector.fromArray(S, a, off + i, mk).mul(c)).intoArray(out, i, mk);
            }
        } else {
            for (; i < ub; i += L) one.div(FloatVector.fromArray(S, a, off + i).fma(c, (float) 1).lanewise(SQRT)).intoArray(out, i);
            if (i < hi) {
                VectorMask<Float> mk = S.indexInRange(i, hi);
                one.div(FloatVector.fromArray(S, a, off + i, mk).fma(c, (float) 1).lanewise(SQRT)).intoArray(out, i, mk);
            }
        }
    }

    /** gD = gK ∂k/∂D elementwise; gh = Σ gK ∂k/∂h (float partials of BLOCK elements, summed in double). */
    static Tensor[] kernelBackward(Par par, StationaryKernel kernel, Tensor dist2, Tensor k, Tensor gK, double h) {
        Tensor dc = dist2.contiguous(), kc = k.contiguous(), gc = gK.contiguous();
        float[] dv = dc.floatStorage(), kv = kc.floatStorage(), gv = gc.floatStorage(), gd = new float[dc.size()];
        int dOff = dc.offset(), kOff = kc.offset(), gOff = gc.offset(), n = gd.length;
        boolean exponential = kernel != StationaryKernel.IMQ;
        // RBF: ∂k/∂D = −k/(2h²), ∂k/∂h = k D/h³.  Laplace: ∂k/∂D = −k/h, ∂k/∂h = k D/h².
        // IMQ: ∂k/∂D = −k³/(2h), ∂k/∂h = k³ D/(2h²).
        float cd = (float) distanceCoefficient(kernel, h);
        double ch = bandwidthCoefficient(kernel, h);
        int chunks = par.chunks(n, ElementwiseF32.GRAIN);
        double[] partial = new double[chunks];
        par.run(n, ElementwiseF32.GRAIN, (chk, lo, hi) -> {
            double total = 0;
            for (int b0 = lo; b0 < hi; b0 += BLOCK) total += backwardBlock(exponential, kv, kOff, gv, gOff, dv, dOff, gd, cd, b0, Math.min(hi, b0 + BLOCK));
            partial[chk] = total;
        });
        double gh = 0;
        for (double p : partial) gh += p;
        return new Tensor[] {Tensor.wrap(gd, dist2.shape()), Tensor.wrap(new float[] {(float) (gh * ch)})};
    }

    /** gd[i] = c·t_i and returns Σ t_i D_i over [b0, b1), with t = gK·k (RBF, Laplace) or gK·k³ (IMQ). */
    private static float backwardBlock(boolean exponential, float[] kv, int kOff, float[] gv, int gOff, float[] dv, int dOff, float[] gd, float cd, int b0, int b1) {
        FloatVector acc = FloatVector.zero(S);
        int ub = b0 + S.loopBound(b1 - b0), i = b0;
        for (; i < ub; i += L) {
            FloatVector kk = FloatVector.fromArray(S, kv, kOff + i), g = FloatVector.fromArray(S, gv, gOff + i);
            FloatVector t = exponential ? kk.mul(g) : kk.mul(kk).mul(kk).mul(g);
            t.mul(cd).intoArray(gd, i);
            acc = acc.add(t.mul(FloatVector.fromArray(S, dv, dOff + i)));
        }
        if (i < b1) {
            VectorMask<Float> mk = S.indexInRange(i, b1);
            FloatVector kk = FloatVector.fromArray(S, kv, kOff + i, mk), g = FloatVector.fromArray(S, gv, gOff + i, mk);
            FloatVector t = exponential ? kk.mul(g) : kk.mul(kk).mul(kk).mul(g);
            t.mul(cd).intoArray(gd, i, mk);
            acc = acc.add(t.mul(FloatVector.fromArray(S, dv, dOff + i, mk)), mk);
        }
        return FloatMath.sum(acc);
    }
}
