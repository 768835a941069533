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

    // ------------------------------------------------------------ lanewise building blocks

    /** 1/v, correctly rounded (a division; the Vector API has no reciprocal op). */
    static FloatVector inv(FloatVector v) { return FloatVector.broadcast(S, (float) 1).div(v); }

    /** σ(v) = 1/(1+e^{-v}) for v ≥ 0, e^{v}/(1+e^{v}) otherwise, via e = e^{-|v|} (never overflows). */
    static FloatVector sigmoid(FloatVector v) {
        FloatVector e = v.lanewise(ABS).neg().lanewise(EXP);
        FloatVector r = inv(e.add((float) 1));
        return r.blend(e.mul(r), v.compare(LT, (float) 0));
    }

    /** softplus(v) = max(v, 0) + log1p(e^{-|v|}); the max is a blend so that NaN stays NaN. */
    static FloatVector softplus(FloatVector v) {
        FloatVector pos = v.blend((float) 0, v.compare(LT, (float) 0));
        return pos.add(v.lanewise(ABS).neg().lanewise(EXP).lanewise(LOG1P));
    }

    static FloatVector unary(Unary op, FloatVector v) {
        return switch (op) {
            case NEG -> v.neg();
            case EXP -> v.lanewise(EXP);
            case LOG -> v.lanewise(LOG);
            case LOG1P -> v.lanewise(LOG1P);
            case EXPM1 -> v.lanewise(EXPM1);
            case TANH -> v.lanewise(TANH);
            case SIGMOID -> sigmoid(v);
            case SOFTPLUS -> softplus(v);
            // NOTE: x > 0 ? x : 0, so relu(NaN) = 0 exactly as the oracle (a lanewise MAX would give NaN)
            case RELU -> FloatVector.zero(S).blend(v, v.compare(GT, (float) 0));
            case SILU -> v.mul(sigmoid(v));
            case SQRT -> v.lanewise(SQRT);
            case SQUARE -> v.mul(v);
            case ABS -> v.lanewise(ABS);
            // signum: ±1, and ±0 or NaN map to themselves
            case SIGN -> v.blend((float) 1, v.compare(GT, (float) 0)).blend((float) -1, v.compare(LT, (float) 0));
            case STEP -> FloatVector.zero(S).blend((float) 1, v.compare(GT, (float) 0));
            case RECIPROCAL -> inv(v);
        };
    }

    static FloatVector activation(Activation act, FloatVector v) {
        return switch (act) {
            case IDENTITY -> v;
            case RELU -> unary(Unary.RELU, v);
            case TANH -> v.lanewise(TANH);
            case SILU -> v.mul(sigmoid(v));
            case SOFTPLUS -> softplus(v);
            case SIGMOID -> sigmoid(v);
        };
    }

    static FloatVector binary(Binary op, FloatVector a, FloatVector b) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S);
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case POW -> a.lanewise(POW, b);
            case MAX -> a.lanewise(MAX, b);
            case MIN -> a.lanewise(MIN, b);
            case LT -> zero.blend(one, a.compare(LT, b));
            case LE -> zero.blend(one, a.compare(LE, b));
            case GT -> zero.blend(one, a.compare(GT, b));
            case GE -> zero.blend(one, a.compare(GE, b));
            case EQ -> zero.blend(one, a.compare(EQ, b));
        };
    }

    // ------------------------------------------------------------ tensor-level maps

    static Tensor unary(Par par, Unary op, Tensor x) {
        Tensor xc = x.contiguous();
        float[] a = xc.floatStorage(), out = new float[xc.size()];
        int off = xc.offset(), n = out.length;
        par.run(n, GRAIN, (ch, lo, hi) -> {
            int i = lo;
            for (int e = lo + S.loopBound(hi - lo); i < e; i += L) unary(op, FloatVector.fromArray(S, a, off + i)).intoArray(out, i);
            if (i < hi) { VectorMask<Float> m = S.indexInRange(i, hi); unary(op, FloatVector.fromArray(S, a, off + i, m)).intoArray(out, i, m); }
        });
        return Tensor.wrap(out, x.shape());
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
        float[] a = ac.floatStorage(), b = bc.floatStorage(), out = new float[rows * cols];
        int ao = ac.offset(), bo = bc.offset();
        par.run(rows, Math.max(1, GRAIN / Math.max(1, cols)), (ch, lo, hi) -> {
            FloatVector as = aMode == SCALAR ? FloatVector.broadcast(S, a[ao]) : null, bs = bMode == SCALAR ? FloatVector.broadcast(S, b[bo]) : null;
            for (int r = lo; r < hi; r++) {
                int base = r * cols, aBase = ao + (aMode == FULL ? base : 0), bBase = bo + (bMode == FULL ? base : 0);
                int j = 0;
                for (int e = S.loopBound(cols); j < e; j += L) {
                    FloatVector va = aMode == SCALAR ? as : FloatVector.fromArray(S, a, aBase + j);
                    FloatVector vb = bMode == SCALAR ? bs : FloatVector.fromArray(S, b, bBase + j);
                    binary(op, va, vb).intoArray(out, base + j);
                }
                if (j < cols) {
                    VectorMask<Float> m = S.indexInRange(j, cols);
                    FloatVector va = aMode == SCALAR ? as : FloatVector.fromArray(S, a, aBase + j, m);
                    FloatVector vb = bMode == SCALAR ? bs : FloatVector.fromArray(S, b, bBase + j, m);
                    binary(op, va, vb).intoArray(out, base + j, m);
                }
            }
        });
        return Tensor.wrap(out, shape);
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
        float[] a = xc.floatStorage(), out = new float[outer * inner];
        int off = xc.offset();
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
                float s = acc.reduceLanes(ADD);
                return op == Reduce.MEAN ? s / len : s;
            }
            case MAX -> { return maxRow(a, off, len); }
            default -> {
                float m = maxRow(a, off, len);
                if (!Float.isFinite(m)) return m; // all −∞ (or empty) gives −∞; +∞ or NaN propagate as in the oracle
                FloatVector acc = FloatVector.zero(S);
                for (int j = 0; j < e; j += L) acc = acc.add(FloatVector.fromArray(S, a, off + j).sub(m).lanewise(EXP));
                acc = acc.add(FloatVector.fromArray(S, a, off + e, tail).sub(m).lanewise(EXP), tail);
                return m + (float) Math.log(acc.reduceLanes(ADD));
            }
        }
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
        for (int j = 0; j < len; j++) {
            int src = off + j * inner;
            for (int i = 0; i < inner; i += L) {
                VectorMask<Float> k = S.indexInRange(i, inner);
                FloatVector v = FloatVector.fromArray(S, a, src + i, k), c = FloatVector.fromArray(S, acc, accOff + i, k);
                (max ? c.lanewise(MAX, v) : c.add(v)).intoArray(acc, accOff + i, k);
            }
        }
        if (op == Reduce.MEAN) for (int i = 0; i < inner; i++) out[oo + i] /= len;
        if (op != Reduce.LOGSUMEXP) return;
        java.util.Arrays.fill(out, oo, oo + inner, 0);
        for (int j = 0; j < len; j++) {
            int src = off + j * inner;
            for (int i = 0; i < inner; i += L) {
                VectorMask<Float> k = S.indexInRange(i, inner);
                FloatVector v = FloatVector.fromArray(S, a, src + i, k).sub(FloatVector.fromArray(S, m, i, k)).lanewise(EXP);
                FloatVector.fromArray(S, out, oo + i, k).add(v).intoArray(out, oo + i, k);
            }
        }
        for (int i = 0; i < inner; i++) out[oo + i] = Float.isFinite(m[i]) ? m[i] + (float) Math.log(out[oo + i]) : m[i];
    }
}
