package sivi.kernels.simd;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import sivi.kernels.Activation;
import sivi.kernels.Reduce;
import sivi.kernels.Unary;
import sivi.tensor.Tensor;

/** The conditional layer y = act(x W + b): GEMM with a fused bias + activation epilogue, and its backward. */
final class DenseF32 {
    private DenseF32() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /** pre = x W (+ b, then act when act != null), N×O. */
    private static float[] pre(Par par, Activation act, Tensor x, Tensor w, float[] bias) {
        int n = x.dim(0), in = x.dim(1), o = w.dim(1);
        Tensor xc = x.contiguous(), wc = w.contiguous();
        float[] y = new float[n * o];
        GemmF32.gemm(par, GemmF32.MUL, n, o, in, xc.floatStorage(), xc.offset(), in, 1, wc.floatStorage(), wc.offset(), o, 1, y,
                (c, ldc, i0, i1, j0, j1) -> {
                    Unary op = act == null ? null : ElementwiseF32.unaryOf(act);
                    for (int i = i0; i < i1; i++) {
                        int row = i * ldc;
                        int j = j0;
                        for (int ub = j0 + S.loopBound(j1 - j0); j < ub; j += L)
                            FloatVector.fromArray(S, c, row + j).add(FloatVector.fromArray(S, bias, j)).intoArray(c, row + j);
                        for (; j < j1; j++) c[row + j] += bias[j];   // scalar tail: no masked vector at the array end
                    }
                    if (op == null) return;
                    // whole rows are one contiguous range: one activation pass with one tail, not a tail per row
                    if (j0 == 0 && j1 == ldc) ElementwiseF32.unaryRange(op, c, 0, c, i0 * ldc, i1 * ldc);
                    else for (int i = i0; i < i1; i++) ElementwiseF32.unaryRange(op, c, 0, c, i * ldc + j0, i * ldc + j1);
                });
        return y;
    }

    static Tensor forward(Par par, Activation act, Tensor x, Tensor w, Tensor b) {
        return Tensor.wrap(pre(par, act, x, w, b.contiguous().toFloatArray()), x.dim(0), w.dim(1));
    }

    /**
     * gp = gy ⊙ act'(pre), with act' read off the output y wherever that is exact (relu: y > 0 iff
     * pre > 0; tanh: 1 − y²; sigmoid: y(1 − y); softplus: σ(pre) = −expm1(−y)); only silu recomputes pre.
     * Then gx = gp Wᵀ (when wantX), gW = xᵀ gp and gb = Σ_n gp (when wantParams); unwanted ones are null.
     */
    static Tensor[] backward(Par par, Activation act, Tensor x, Tensor w, Tensor b, Tensor y, Tensor gy, boolean wantX, boolean wantParams) {
        int n = x.dim(0), in = x.dim(1), o = w.dim(1);
        // read in place: a copy of y and gy was up to a fifth of this call at 500×128
        Tensor yc = y.contiguous(), gc = gy.contiguous();
        float[] yv = yc.floatStorage(), g = gc.floatStorage();
        int yo = yc.offset(), go = gc.offset();
        float[] p = act == Activation.SILU ? pre(par, null, x, w, b.contiguous().toFloatArray()) : null;
        float[] gp = Scratch.floats(Scratch.DENSE_GP, n * o);   // written whole below, read only in this call
        par.run(n * o, ElementwiseF32.GRAIN, (ch, lo, hi) -> derivative(act, g, go, yv, yo, p, gp, lo, hi));
        Tensor xc = x.contiguous(), wc = w.contiguous();
        Tensor gx = null, gw = null, gb = null;
        if (wantX) {
            float[] gxv = new float[n * in];
            // gp read as the fresh n×o array it stands for: a layer of ≤ 8 inputs takes the dot-product path, whose row
            // tails round by where the array ends, and the reused one's end depends on the thread's earlier calls
            GemmF32.gemm(par, GemmF32.MUL, n, in, o, gp, n * o, 0, o, 1, wc.floatStorage(), wc.offset(), 1, o, gxv, null);
            gx = Tensor.wrap(gxv, n, in);
        }
        if (wantParams) {
            float[] gwv = new float[in * o];
            GemmF32.gemm(par, GemmF32.MUL, in, o, n, xc.floatStorage(), xc.offset(), 1, in, gp, 0, o, 1, gwv, null);
            gw = Tensor.wrap(gwv, in, o);
            gb = Tensor.wrap(ElementwiseF32.reduce(par, Reduce.SUM, gp, 0, 1, n, o), b.shape());
        }
        return new Tensor[] {gx, gw, gb};
    }

    /**
     * gp[i] = g[i]·act'(·) for lo ≤ i < hi: whole vectors, then the tail through L-wide scratch copies
     * with the same code (a masked vector at the end of an array takes the Vector API's slow,
     * lane-by-lane checked path: it showed up as ~10% of a small KSIVI step).
     */
    private static void derivative(Activation act, float[] g, int go, float[] yv, int yo, float[] p, float[] gp, int lo, int hi) {
        int bulk = lo + S.loopBound(hi - lo), rest = hi - bulk;
        derivativeBulk(act, g, go, yv, yo, p, gp, lo, bulk);
        if (rest > 0) {
            float[] gt = new float[L], yt = new float[L], pt = p == null ? null : new float[L], out = new float[L];
            System.arraycopy(g, go + bulk, gt, 0, rest);
            System.arraycopy(yv, yo + bulk, yt, 0, rest);
            if (p != null) System.arraycopy(p, bulk, pt, 0, rest);
            derivativeBulk(act, gt, 0, yt, 0, pt, out, 0, L);
            System.arraycopy(out, 0, gp, bulk, rest);
        }
    }

    /** As {@link #derivative} on whole vectors: hi − lo is a multiple of L. One loop per activation so that no vector crosses a call. */
    private static void derivativeBulk(Activation act, float[] g, int go, float[] yv, int yo, float[] p, float[] gp, int lo, int hi) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S);
        switch (act) {
            case IDENTITY -> System.arraycopy(g, go + lo, gp, lo, hi - lo);
            case RELU -> { for (int i = lo; i < hi; i += L)
                zero.blend(FloatVector.fromArray(S, g, go + i), FloatVector.fromArray(S, yv, yo + i).compare(GT, zero)).intoArray(gp, i); }
            case TANH -> { for (int i = lo; i < hi; i += L) { FloatVector y = FloatVector.fromArray(S, yv, yo + i);
                FloatVector.fromArray(S, g, go + i).mul(one.sub(y.mul(y))).intoArray(gp, i); } }
            case SIGMOID -> { for (int i = lo; i < hi; i += L) { FloatVector y = FloatVector.fromArray(S, yv, yo + i);
                FloatVector.fromArray(S, g, go + i).mul(y.mul(one.sub(y))).intoArray(gp, i); } }
            case SOFTPLUS -> softplusDerivative(g, go, yv, yo, gp, lo, hi);
            case SILU -> siluDerivative(g, go, p, gp, lo, hi);
        }
    }

    // Loops with FloatMath calls in methods of their own, so that C2's inlining budget for the switch
    // above never leaves FloatMath.exp out of line (it then boxes every vector).

    /** softplus′ = σ(pre) = 1 − e^{−y}: −expm1(−y) from the output y. */
    private static void softplusDerivative(float[] g, int go, float[] yv, int yo, float[] gp, int lo, int hi) {
        for (int i = lo; i < hi; i += L)
            FloatVector.fromArray(S, g, go + i).mul(FloatMath.expm1(FloatVector.fromArray(S, yv, yo + i).neg()).neg()).intoArray(gp, i);
    }

    /** silu′(v) = s·(1 + v·(1 − s)), s = σ(v), from the pre-activation v. */
    private static void siluDerivative(float[] g, int go, float[] p, float[] gp, int lo, int hi) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S);
        for (int i = lo; i < hi; i += L) {
            FloatVector v = FloatVector.fromArray(S, p, i), e = FloatMath.exp(v.lanewise(ABS).neg()), r = one.div(e.add(one));
            FloatVector s = r.blend(e.mul(r), v.compare(LT, zero));
            FloatVector.fromArray(S, g, go + i).mul(s.mul(v.mul(one.sub(s)).add(one))).intoArray(gp, i);
        }
    }
}
