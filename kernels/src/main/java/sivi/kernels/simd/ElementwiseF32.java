package sivi.kernels.simd;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import sivi.kernels.Activation;
import sivi.kernels.Binary;
import sivi.kernels.Reduce;
import sivi.kernels.Unary;
import sivi.tensor.Tensor;

/**
 * Elementwise maps and axis reductions on float arrays. Tails use masked vectors with the same
 * lanewise code, so an element's value never depends on where a chunk boundary falls.
 */
final class ElementwiseF32 {
    private ElementwiseF32() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Elements per parallel chunk below which forking costs more than it saves. */
    static final int GRAIN = 1 << 14;

    // NOTE: a method that takes or returns vectors must be inlined into its caller, or C2 boxes the
    // vectors on every call (a 10-50x slowdown). So the op switches sit outside the loops and
    // every loop body is straight-line Vector API code, which the JDK force-inlines.

    /** out[oo + i] = op(a[ao + i]) for i < n, n a multiple of L. */
    static void unaryBulk(Unary op, float[] a, int ao, float[] out, int oo, int n) {
        // one method per vector loop: inside this switch C2 ran out of its inlining budget
        // (NodeCountInliningCutoff, "already compiled into a medium method"), called FloatMath.exp out of
        // line and boxed the vectors of the compare/blend cases (ReLU 0.35 ns/float instead of ~0.05)
        switch (op) {
            case NEG -> negLoop(a, ao, out, oo, n);
            case EXP -> expLoop(a, ao, out, oo, n);
            // log, log1p and softplus per lane through java.lang.Math (deterministic, the oracle's own formula)
            case LOG -> { for (int i = 0; i < n; i++) out[oo + i] = (float) Math.log(a[ao + i]); }
            case LOG1P -> { for (int i = 0; i < n; i++) out[oo + i] = (float) Math.log1p(a[ao + i]); }
            case EXPM1 -> expm1Loop(a, ao, out, oo, n);
            case TANH -> tanhLoop(a, ao, out, oo, n);
            case SQRT -> sqrtLoop(a, ao, out, oo, n);
            case ABS -> absLoop(a, ao, out, oo, n);
            case SQUARE -> squareLoop(a, ao, out, oo, n);
            case RECIPROCAL -> reciprocalLoop(a, ao, out, oo, n);
            case RELU -> reluLoop(a, ao, out, oo, n);
            case STEP -> stepLoop(a, ao, out, oo, n);
            case SIGN -> signLoop(a, ao, out, oo, n);
            case SIGMOID -> sigmoidLoop(a, ao, out, oo, n);
            case SILU -> siluLoop(a, ao, out, oo, n);
            case SOFTPLUS -> { for (int i = 0; i < n; i++) { double v = a[ao + i]; out[oo + i] = (float) (Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v)))); } }
        }
    }

    private static void negLoop(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) FloatVector.fromArray(S, a, ao + i).neg().intoArray(out, oo + i);
    }

    private static void sqrtLoop(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) FloatVector.fromArray(S, a, ao + i).lanewise(SQRT).intoArray(out, oo + i);
    }

    private static void absLoop(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) FloatVector.fromArray(S, a, ao + i).lanewise(ABS).intoArray(out, oo + i);
    }

    private static void squareLoop(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) { FloatVector v = FloatVector.fromArray(S, a, ao + i); v.mul(v).intoArray(out, oo + i); }
    }

    private static void reciprocalLoop(float[] a, int ao, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, (float) 1);
        for (int i = 0; i < n; i += L) one.div(FloatVector.fromArray(S, a, ao + i)).intoArray(out, oo + i);
    }

    /** x > 0 ? x : 0, so relu(NaN) = 0 exactly as the oracle (a lanewise MAX would give NaN). */
    private static void reluLoop(float[] a, int ao, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) { FloatVector v = FloatVector.fromArray(S, a, ao + i); zero.blend(v, v.compare(GT, zero)).intoArray(out, oo + i); }
    }

    private static void stepLoop(float[] a, int ao, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(GT, zero)).intoArray(out, oo + i);
    }

    /** signum: ±1, and ±0 or NaN map to themselves. */
    private static void signLoop(float[] a, int ao, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) { FloatVector v = FloatVector.fromArray(S, a, ao + i); v.blend(one, v.compare(GT, zero)).blend(one.neg(), v.compare(LT, zero)).intoArray(out, oo + i); }
    }

    private static void expLoop(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) FloatMath.exp(FloatVector.fromArray(S, a, ao + i)).intoArray(out, oo + i);
    }

    private static void expm1Loop(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) FloatMath.expm1(FloatVector.fromArray(S, a, ao + i)).intoArray(out, oo + i);
    }

    private static void tanhLoop(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) FloatMath.tanh(FloatVector.fromArray(S, a, ao + i)).intoArray(out, oo + i);
    }

    /** σ by {@link FloatMath#sigmoid}. */
    private static void sigmoidLoop(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) FloatMath.sigmoid(FloatVector.fromArray(S, a, ao + i)).intoArray(out, oo + i);
    }

    /** v·σ(v), σ by {@link FloatMath#sigmoid}. */
    private static void siluLoop(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) { FloatVector v = FloatVector.fromArray(S, a, ao + i); v.mul(FloatMath.sigmoid(v)).intoArray(out, oo + i); }
    }

    /** out[i] = op(a[ao + i]) for lo ≤ i < hi; the tail goes through an L-wide scratch with the same code. */
    static void unaryRange(Unary op, float[] a, int ao, float[] out, int lo, int hi) {
        int bulk = S.loopBound(hi - lo), rest = hi - lo - bulk;
        unaryBulk(op, a, ao + lo, out, lo, bulk);
        if (rest > 0) {
            float[] t = new float[L];
            System.arraycopy(a, ao + lo + bulk, t, 0, rest);
            unaryBulk(op, t, 0, t, 0, L);
            System.arraycopy(t, 0, out, lo + bulk, rest);
        }
    }

    /** The unary op an activation is (null for the identity). */
    static Unary unaryOf(Activation act) {
        return switch (act) {
            case IDENTITY -> null;
            case RELU -> Unary.RELU;
            case TANH -> Unary.TANH;
            case SILU -> Unary.SILU;
            case SOFTPLUS -> Unary.SOFTPLUS;
            case SIGMOID -> Unary.SIGMOID;
        };
    }

    /** One operand of a binary loop: a[o + i], or a[o] broadcast when scalar. Tiny, so it always inlines. */
    private static FloatVector ld(float[] a, int o, boolean scalar, int i) {
        return scalar ? FloatVector.broadcast(S, a[o]) : FloatVector.fromArray(S, a, o + i);
    }

    /** out[oo + i] = a ⊕ b for i < n (a multiple of L); a scalar operand is a[ao] (b[bo]) broadcast. */
    static void binaryBulk(Binary op, float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        // one method per op: in a single method C2's inlining budget ran out before the last cases and
        // their ld(...) calls returned boxed vectors
        switch (op) {
            case ADD -> addLoop(a, ao, as, b, bo, bs, out, oo, n);
            case SUB -> subLoop(a, ao, as, b, bo, bs, out, oo, n);
            case MUL -> mulLoop(a, ao, as, b, bo, bs, out, oo, n);
            case DIV -> divLoop(a, ao, as, b, bo, bs, out, oo, n);
            case POW -> { for (int i = 0; i < n; i++) out[oo + i] = (float) Math.pow(a[as ? ao : ao + i], b[bs ? bo : bo + i]); }   // per lane, as the oracle
            case MAX -> maxLoop(a, ao, as, b, bo, bs, out, oo, n);
            case MIN -> minLoop(a, ao, as, b, bo, bs, out, oo, n);
            case LT -> ltLoop(a, ao, as, b, bo, bs, out, oo, n);
            case LE -> leLoop(a, ao, as, b, bo, bs, out, oo, n);
            case GT -> gtLoop(a, ao, as, b, bo, bs, out, oo, n);
            case GE -> geLoop(a, ao, as, b, bo, bs, out, oo, n);
            case EQ -> eqLoop(a, ao, as, b, bo, bs, out, oo, n);
        }
    }

    private static void addLoop(float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) ld(a, ao, as, i).add(ld(b, bo, bs, i)).intoArray(out, oo + i);
    }

    private static void subLoop(float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) ld(a, ao, as, i).sub(ld(b, bo, bs, i)).intoArray(out, oo + i);
    }

    private static void mulLoop(float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) ld(a, ao, as, i).mul(ld(b, bo, bs, i)).intoArray(out, oo + i);
    }

    private static void divLoop(float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) ld(a, ao, as, i).div(ld(b, bo, bs, i)).intoArray(out, oo + i);
    }

    private static void maxLoop(float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) ld(a, ao, as, i).lanewise(MAX, ld(b, bo, bs, i)).intoArray(out, oo + i);
    }

    private static void minLoop(float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) ld(a, ao, as, i).lanewise(MIN, ld(b, bo, bs, i)).intoArray(out, oo + i);
    }

    private static void ltLoop(float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) zero.blend(one, ld(a, ao, as, i).compare(LT, ld(b, bo, bs, i))).intoArray(out, oo + i);
    }

    private static void leLoop(float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) zero.blend(one, ld(a, ao, as, i).compare(LE, ld(b, bo, bs, i))).intoArray(out, oo + i);
    }

    private static void gtLoop(float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) zero.blend(one, ld(a, ao, as, i).compare(GT, ld(b, bo, bs, i))).intoArray(out, oo + i);
    }

    private static void geLoop(float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) zero.blend(one, ld(a, ao, as, i).compare(GE, ld(b, bo, bs, i))).intoArray(out, oo + i);
    }

    private static void eqLoop(float[] a, int ao, boolean as, float[] b, int bo, boolean bs, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) zero.blend(one, ld(a, ao, as, i).compare(EQ, ld(b, bo, bs, i))).intoArray(out, oo + i);
    }

    // ------------------------------------------------------------ tensor-level maps

    static Tensor unary(Par par, Unary op, Tensor x) {
        Tensor xc = x.contiguous();
        float[] a = xc.floatStorage(), out = new float[xc.size()];
        int off = xc.offset();
        par.run(out.length, GRAIN, (ch, lo, hi) -> unaryRange(op, a, off, out, lo, hi));
        return Tensor.wrap(out, x.shape());
    }

    /**
     * {y − σ(z), σ(z)·(1 − σ(z))}; y has z's size or is one row of z's last axis. One vector pass per
     * row segment ({@link #logisticBulk}), σ rounding as the SIGMOID op does — instead of four ops. For
     * |z| > {@link #LOGISTIC_FLUSH} σ is 1 or 0 (flushed below the normal range, see there).
     */
    static Tensor[] logisticTerms(Par par, Tensor z, Tensor y) {
        Tensor zc = z.contiguous(), yc = y.contiguous();
        float[] zv = zc.floatStorage(), yv = yc.floatStorage();
        int zo = zc.offset(), yo = yc.offset(), n = zc.size(), row = Math.max(1, yc.size());
        float[] resid = new float[n], curv = new float[n];
        par.run(n, GRAIN, (ch, lo, hi) -> logisticRange(zv, zo, yv, yo, row, resid, curv, 0, lo, hi));
        return new Tensor[] {Tensor.wrap(resid, z.shape()), Tensor.wrap(curv, z.shape())};
    }

    /**
     * |z| beyond which σ(z) is flushed to 1 or 0: e^{−|z|} would be subnormal (or nearly), and float arithmetic
     * with subnormal results costs x86 a microcode assist per instruction — the pass ran 2.7× slower when
     * half of its inputs had |z| > 87 (SIVI-SM on lr-waveform starts there). −ln(smallest normal) − ½.
     */
    static final float LOGISTIC_FLUSH = (float) (-Math.log(Float.MIN_NORMAL) - 0.5);

    /** resid[i] and curv[co + i] from z[zo + i] for lo ≤ i < hi, y paired by position in its row of {@code row} elements. */
    static void logisticRange(float[] z, int zo, float[] y, int yo, int row, float[] resid, float[] curv, int co, int lo, int hi) {
        for (int s = lo; s < hi; ) {
            int e = Math.min(hi, (s / row + 1) * row), yb = yo + s % row - s;   // y[yb + i] pairs with z[i] in this row
            int ub = s + S.loopBound(e - s);
            logisticBulk(z, zo, y, yb, resid, curv, co, s, ub);
            if (ub < e) {
                // the tail through L-wide copies, by the same vector code (lanewise, so the same bits per element)
                int rest = e - ub;
                float[] zt = new float[L], yt = new float[L], rt = new float[L], ct = new float[L];
                System.arraycopy(z, zo + ub, zt, 0, rest);
                System.arraycopy(y, yb + ub, yt, 0, rest);
                logisticBulk(zt, 0, yt, 0, rt, ct, 0, 0, L);
                System.arraycopy(rt, 0, resid, ub, rest);
                System.arraycopy(ct, 0, curv, co + ub, rest);
            }
            s = e;
        }
    }

    /**
     * Whole vectors i in [from, to): z clamped to ±LOGISTIC_FLUSH, σ by the SIGMOID op's expression
     * ({@link FloatMath#sigmoid}, so the same bits), σ flushed to 0 below −LOGISTIC_FLUSH,
     * then y − σ and σ(1 − σ) — one pass, σ never stored. Reads z at i before writing resid at i, so
     * resid may be z.
     */
    private static void logisticBulk(float[] z, int zo, float[] y, int yb, float[] resid, float[] curv, int co, int from, int to) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S), flush = FloatVector.broadcast(S, -LOGISTIC_FLUSH);
        for (int i = from; i < to; i += L) {
            FloatVector zv = FloatVector.fromArray(S, z, zo + i), na = zv.lanewise(ABS).neg();
            // σ of z clamped to ±LOGISTIC_FLUSH, from −|z| clamped (the same value; one compare and blend instead of MAX and MIN)
            FloatVector sv = FloatMath.sigmoid(zv, na.blend(flush, na.compare(LT, -LOGISTIC_FLUSH))).blend(zero, zv.compare(LT, -LOGISTIC_FLUSH));
            FloatVector.fromArray(S, y, yb + i).sub(sv).intoArray(resid, i);
            sv.mul(one.sub(sv)).intoArray(curv, co + i);
        }
    }

    /**
     * logisticTerms as a GEMM epilogue: C's rows [i0, i1) × [j0, j1) (the logits, final) become y − σ in
     * place and σ(1 − σ) goes to curv at the same indices — per element the same ops as {@link #logisticTerms}.
     */
    static void logisticRows(float[] c, int ldc, int i0, int i1, int j0, int j1, float[] y, int yo, int row, float[] curv) {
        // logisticRange reads each z vector before it writes resid there, so z and resid may be one array
        if (j0 == 0 && j1 == ldc) logisticRange(c, 0, y, yo, row, c, curv, 0, i0 * ldc, i1 * ldc);
        else for (int i = i0; i < i1; i++) logisticRange(c, 0, y, yo, row, c, curv, 0, i * ldc + j0, i * ldc + j1);
    }

    /** c[i·ldc + j] ·= h[ho + i·ldc + j] over rows [i0, i1) × [j0, j1): (A·B) ⊙ H as a GEMM epilogue (H has C's shape). */
    static void timesRows(float[] c, int ldc, int i0, int i1, int j0, int j1, float[] h, int ho) {
        for (int i = i0; i < i1; i++) {
            int row = i * ldc, j = j0;
            for (int ub = j0 + S.loopBound(j1 - j0); j < ub; j += L)
                FloatVector.fromArray(S, c, row + j).mul(FloatVector.fromArray(S, h, ho + row + j)).intoArray(c, row + j);
            for (; j < j1; j++) c[row + j] *= h[ho + row + j];
        }
    }

    /** out = a·x + b with one FMA per element. */
    static Tensor affine(Par par, Tensor x, double sa, double sb) {
        Tensor xc = x.contiguous();
        float[] a = xc.floatStorage(), out = new float[xc.size()];
        int off = xc.offset(), n = out.length;
        float fa = (float) sa, fb = (float) sb;
        par.run(n, GRAIN, (ch, lo, hi) -> {
            int i = lo;
            for (int e = lo + S.loopBound(hi - lo); i < e; i += L) FloatVector.fromArray(S, a, off + i).fma(fa, fb).intoArray(out, i);
            for (; i < hi; i++) out[i] = Math.fma(fa, a[off + i], fb);
        });
        return Tensor.wrap(out, x.shape());
    }

    /** How an operand of a row-wise binary map is read: every element, one row repeated, or one value. */
    static final int FULL = 0, ROW = 1, SCALAR = 2;

    /** out[r, j] = a ⊕ b over rows × cols, each operand read according to its mode. */
    static Tensor binaryRows(Par par, Binary op, Tensor at, int aMode, Tensor bt, int bMode, int rows, int cols, int[] shape) {
        Tensor ac = at.contiguous(), bc = bt.contiguous();
        if (rows > 1 && cols < L) {
            // Rows shorter than a vector would each go through the scratch tail: repeat the row
            // operand instead and make one flat pass (the same op on the same pairs).
            int n = rows * cols;
            return binaryRows(par, op, aMode == ROW ? repeatRow(ac, rows, cols) : ac, aMode == ROW ? FULL : aMode,
                    bMode == ROW ? repeatRow(bc, rows, cols) : bc, bMode == ROW ? FULL : bMode, 1, n, shape);
        }
        float[] a = ac.floatStorage(), b = bc.floatStorage(), out = new float[rows * cols];
        int ao = ac.offset(), bo = bc.offset();
        boolean as = aMode == SCALAR, bs = bMode == SCALAR;
        int bulk = S.loopBound(cols), rest = cols - bulk;
        par.run(rows, Math.max(1, GRAIN / Math.max(1, cols)), (ch, lo, hi) -> {
            float[] ta = new float[L], tb = new float[L], to = new float[L];
            for (int r = lo; r < hi; r++) {
                int base = r * cols, aBase = ao + (aMode == FULL ? base : 0), bBase = bo + (bMode == FULL ? base : 0);
                binaryBulk(op, a, aBase, as, b, bBase, bs, out, base, bulk);
                if (rest > 0) {
                    if (!as) System.arraycopy(a, aBase + bulk, ta, 0, rest);
                    if (!bs) System.arraycopy(b, bBase + bulk, tb, 0, rest);
                    binaryBulk(op, as ? a : ta, as ? aBase : 0, as, bs ? b : tb, bs ? bBase : 0, bs, to, 0, L);
                    System.arraycopy(to, 0, out, base + bulk, rest);
                }
            }
        });
        return Tensor.wrap(out, shape);
    }

    /** The contiguous row r (cols elements) repeated rows times, as a flat tensor. */
    private static Tensor repeatRow(Tensor r, int rows, int cols) {
        float[] out = new float[rows * cols];
        System.arraycopy(r.floatStorage(), r.offset(), out, 0, cols);
        for (int have = cols; have < out.length; have *= 2) System.arraycopy(out, 0, out, have, Math.min(have, out.length - have));
        return Tensor.wrap(out, out.length);
    }

    /** cond != 0 ? a : b for three contiguous tensors of the same size; cond already in this dtype. */
    static Tensor where(Par par, Tensor cond, Tensor at, Tensor bt, int[] shape) {
        Tensor cc = cond.contiguous(), ac = at.contiguous(), bc = bt.contiguous();
        float[] c = cc.floatStorage(), a = ac.floatStorage(), b = bc.floatStorage(), out = new float[ac.size()];
        int co = cc.offset(), ao = ac.offset(), bo = bc.offset(), n = out.length;
        par.run(n, GRAIN, (ch, lo, hi) -> {
            for (int i = lo; i < hi; i += L) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector vc = FloatVector.fromArray(S, c, co + i, m);
                FloatVector.fromArray(S, b, bo + i, m).blend(FloatVector.fromArray(S, a, ao + i, m), vc.compare(NE, (float) 0)).intoArray(out, i, m);
            }
        });
        return Tensor.wrap(out, shape);
    }

    // ------------------------------------------------------------ reductions

    /** Reduces x viewed as outer × len × inner over the middle axis into outer × inner. */
    static float[] reduce(Par par, Reduce op, Tensor x, int outer, int len, int inner) {
        Tensor xc = x.contiguous();
        return reduce(par, op, xc.floatStorage(), xc.offset(), outer, len, inner);
    }

    /** The reduction of the contiguous [outer, len, inner] values at a[off..]. */
    static float[] reduce(Par par, Reduce op, float[] a, int off, int outer, int len, int inner) {
        float[] out = new float[outer * inner];
        if (inner == 1) par.run(outer, Math.max(1, GRAIN / Math.max(1, len)), (ch, lo, hi) -> {
            for (int o = lo; o < hi; o++) out[o] = reduceRow(op, a, off + o * len, len);
        });
        else par.run(outer, Math.max(1, GRAIN / Math.max(1, len * inner)), (ch, lo, hi) -> {
            float[] m = op == Reduce.LOGSUMEXP ? new float[inner] : null;
            for (int o = lo; o < hi; o++) reduceStrided(op, a, off + o * len * inner, len, inner, out, o * inner, m);
        });
        return out;
    }

    /** Reduction of a contiguous row a[off .. off+len) with L-wide partial accumulators. */
    static float reduceRow(Reduce op, float[] a, int off, int len) {
        int e = S.loopBound(len);
        VectorMask<Float> tail = S.indexInRange(e, len);
        switch (op) {
            case SUM, MEAN -> {
                FloatVector acc = FloatVector.zero(S);
                for (int j = 0; j < e; j += L) acc = acc.add(FloatVector.fromArray(S, a, off + j));
                acc = acc.add(FloatVector.fromArray(S, a, off + e, tail));
                float s = FloatMath.sum(acc);
                return op == Reduce.MEAN ? s / len : s;
            }
            case MAX -> { return maxRow(a, off, len); }
            default -> { return logSumExpRow(a, off, len); }
        }
    }

    /** log Σ exp over a contiguous row (its own method: see the note above {@link #expLoop}). */
    private static float logSumExpRow(float[] a, int off, int len) {
        int e = S.loopBound(len);
        VectorMask<Float> tail = S.indexInRange(e, len);
        float m = maxRow(a, off, len);
        if (!Float.isFinite(m)) return m; // all −∞ (or empty) gives −∞; +∞ or NaN propagate as in the oracle
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < e; j += L) acc = acc.add(FloatMath.exp(FloatVector.fromArray(S, a, off + j).sub(m)));
        acc = acc.add(FloatMath.exp(FloatVector.fromArray(S, a, off + e, tail).sub(m)), tail);
        return m + (float) Math.log(FloatMath.sum(acc));
    }

    static float maxRow(float[] a, int off, int len) {
        int e = S.loopBound(len);
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < e; j += L) acc = acc.lanewise(MAX, FloatVector.fromArray(S, a, off + j));
        float m = acc.reduceLanes(MAX);
        for (int j = e; j < len; j++) m = Math.max(m, a[off + j]);
        return m;
    }

    /** Reduces len rows of length inner (a[off + j*inner + i]) into out[oo + i]; scratch m has length inner. */
    private static void reduceStrided(Reduce op, float[] a, int off, int len, int inner, float[] out, int oo, float[] m) {
        boolean max = op == Reduce.MAX || op == Reduce.LOGSUMEXP;
        float[] acc = max ? (op == Reduce.MAX ? out : m) : out;
        int accOff = acc == m ? 0 : oo;
        java.util.Arrays.fill(acc, accOff, accOff + inner, max ? Float.NEGATIVE_INFINITY : 0);
        // whole vectors, then the same per-lane op in scalar code (rows narrower than a vector, e.g. column
        // sums of N×2, are all tail): no masked vector at the array end
        for (int j = 0, ub = S.loopBound(inner); j < len; j++) {
            int src = off + j * inner, i = 0;
            for (; i < ub; i += L) {
                FloatVector v = FloatVector.fromArray(S, a, src + i), c = FloatVector.fromArray(S, acc, accOff + i);
                (max ? c.lanewise(MAX, v) : c.add(v)).intoArray(acc, accOff + i);
            }
            for (; i < inner; i++) acc[accOff + i] = max ? Math.max(acc[accOff + i], a[src + i]) : acc[accOff + i] + a[src + i];
        }
        if (op == Reduce.MEAN) for (int i = 0; i < inner; i++) out[oo + i] /= len;
        if (op != Reduce.LOGSUMEXP) return;
        java.util.Arrays.fill(out, oo, oo + inner, 0);
        for (int j = 0; j < len; j++) {
            int src = off + j * inner;
            for (int i = 0; i < inner; i += L) {
                VectorMask<Float> k = S.indexInRange(i, inner);
                FloatVector v = FloatMath.exp(FloatVector.fromArray(S, a, src + i, k).sub(FloatVector.fromArray(S, m, i, k)));
                FloatVector.fromArray(S, out, oo + i, k).add(v).intoArray(out, oo + i, k);
            }
        }
        for (int i = 0; i < inner; i++) out[oo + i] = Float.isFinite(m[i]) ? m[i] + (float) Math.log(out[oo + i]) : m[i];
    }
}
