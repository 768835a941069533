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
                        for (int j = j0; j < j1; j += L) {
                            VectorMask<Float> m = S.indexInRange(j, j1);
                            FloatVector.fromArray(S, c, row + j, m).add(FloatVector.fromArray(S, bias, j, m)).intoArray(c, row + j, m);
                        }
                        if (op != null) ElementwiseF32.unaryRange(op, c, 0, c, row + j0, row + j1);
                    }
                });
        return y;
    }

    static Tensor forward(Par par, Activation act, Tensor x, Tensor w, Tensor b) {
        return Tensor.wrap(pre(par, act, x, w, b.contiguous().toFloatArray()), x.dim(0), w.dim(1));
    }

    /**
     * gp = gy ⊙ act'(pre), with act' read off the output y wherever that is exact (relu: y > 0 iff
     * pre > 0; tanh: 1 − y²; sigmoid: y(1 − y); softplus: σ(pre) = −expm1(−y)); only silu recomputes pre.
     * Then gx = gp Wᵀ, gW = xᵀ gp, gb = Σ_n gp.
     */
    static Tensor[] backward(Par par, Activation act, Tensor x, Tensor w, Tensor b, Tensor y, Tensor gy) {
        int n = x.dim(0), in = x.dim(1), o = w.dim(1);
        float[] yv = y.contiguous().toFloatArray(), g = gy.contiguous().toFloatArray();
        float[] p = act == Activation.SILU ? pre(par, null, x, w, b.contiguous().toFloatArray()) : null;
        float[] gp = new float[n * o];
        par.run(gp.length, ElementwiseF32.GRAIN, (ch, lo, hi) -> derivative(act, g, yv, p, gp, lo, hi));
        Tensor xc = x.contiguous(), wc = w.contiguous();
        float[] gx = new float[n * in], gw = new float[in * o];
        GemmF32.gemm(par, GemmF32.MUL, n, in, o, gp, 0, o, 1, wc.floatStorage(), wc.offset(), 1, o, gx, null);
        GemmF32.gemm(par, GemmF32.MUL, in, o, n, xc.floatStorage(), xc.offset(), 1, in, gp, 0, o, 1, gw, null);
        float[] gb = ElementwiseF32.reduce(par, Reduce.SUM, Tensor.wrap(gp, n, o), 1, n, o);
        return new Tensor[] {Tensor.wrap(gx, n, in), Tensor.wrap(gw, in, o), Tensor.wrap(gb, b.shape())};
    }

    /** gp[i] = g[i]·act'(·) for lo ≤ i < hi; one loop per activation so that no vector crosses a call. */
    private static void derivative(Activation act, float[] g, float[] yv, float[] p, float[] gp, int lo, int hi) {
        FloatVector one = FloatVector.broadcast(S, (float) 1), zero = FloatVector.zero(S);
        switch (act) {
            case IDENTITY -> System.arraycopy(g, lo, gp, lo, hi - lo);
            case RELU -> { for (int i = lo; i < hi; i += L) { VectorMask<Float> m = S.indexInRange(i, hi);
                zero.blend(FloatVector.fromArray(S, g, i, m), FloatVector.fromArray(S, yv, i, m).compare(GT, zero)).intoArray(gp, i, m); } }
            case TANH -> { for (int i = lo; i < hi; i += L) { VectorMask<Float> m = S.indexInRange(i, hi); FloatVector y = FloatVector.fromArray(S, yv, i, m);
                FloatVector.fromArray(S, g, i, m).mul(one.sub(y.mul(y))).intoArray(gp, i, m); } }
            case SIGMOID -> { for (int i = lo; i < hi; i += L) { VectorMask<Float> m = S.indexInRange(i, hi); FloatVector y = FloatVector.fromArray(S, yv, i, m);
                FloatVector.fromArray(S, g, i, m).mul(y.mul(one.sub(y))).intoArray(gp, i, m); } }
            case SOFTPLUS -> { for (int i = lo; i < hi; i += L) { VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector.fromArray(S, g, i, m).mul(FloatMath.expm1(FloatVector.fromArray(S, yv, i, m).neg()).neg()).intoArray(gp, i, m); } }
            case SILU -> { for (int i = lo; i < hi; i += L) { VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector v = FloatVector.fromArray(S, p, i, m), e = FloatMath.exp(v.lanewise(ABS).neg()), r = one.div(e.add(one));
                FloatVector s = r.blend(e.mul(r), v.compare(LT, zero));
                FloatVector.fromArray(S, g, i, m).mul(s.mul(v.mul(one.sub(s)).add(one))).intoArray(gp, i, m); } }
        }
    }
}
