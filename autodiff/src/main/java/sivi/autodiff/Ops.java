package sivi.autodiff;

import java.util.Arrays;
import sivi.kernels.*;
import sivi.tensor.DType;
import sivi.tensor.Shapes;
import sivi.tensor.Tensor;

/**
 * The primitive differentiable ops. Each keeps its forward (a backend call) and its local
 * derivative side by side; every backward rule is written with these same ops, so gradients of
 * gradients work. Composites (log-sum-exp, Gaussian log-pdf, …) need no backward of their own.
 */
public final class Ops {
    private Ops() {}

    static Backend b() { return Kernels.current(); }

    private static Var[] of(Var... vs) { return vs; }

    // ================================================================ constants

    public static Var constant(Tensor t) { return Var.constant(t); }

    public static Var scalar(DType dt, double v) { return Var.constant(Tensor.scalar(dt, v)); }

    public static Var zerosLike(Var x) { return Var.constant(Tensor.zeros(x.dtype(), x.shape())); }

    public static Var onesLike(Var x) { return Var.constant(Tensor.ones(x.dtype(), x.shape())); }

    // ================================================================ shape ops

    /** Sums a gradient over broadcast axes back to {@code shape}. Backward: broadcast back. */
    public static Var sumTo(Var g, int[] shape) {
        if (Arrays.equals(g.shape(), shape)) return g;
        int[] gs = g.shape();
        return Var.derived("sumTo", b().sumTo(g.value(), shape), of(g), gg -> of(broadcastTo(gg, gs)));
    }

    /** Broadcasts to a larger shape (NumPy rules). Backward: {@link #sumTo}. */
    public static Var broadcastTo(Var x, int[] shape) {
        if (Arrays.equals(x.shape(), shape)) return x;
        int[] xs = x.shape();
        if (!Arrays.equals(Shapes.broadcast("broadcastTo", xs, shape), shape))
            throw new IllegalArgumentException("broadcastTo: cannot broadcast " + Shapes.str(xs) + " to " + Shapes.str(shape));
        return Var.derived("broadcastTo", x.value().expand(shape).contiguous(), of(x), g -> of(sumTo(g, xs)));
    }

    public static Var reshape(Var x, int... shape) {
        int[] xs = x.shape();
        Tensor v = x.value().reshape(shape);
        if (Arrays.equals(v.shape(), xs)) return x;
        return Var.derived("reshape", v, of(x), g -> of(reshape(g, xs)));
    }

    public static Var permute(Var x, int... perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[Shapes.normAxis("permute", perm[i], perm.length)] = i;
        return Var.derived("permute", x.value().permute(perm).contiguous(), of(x), g -> of(permute(g, inv)));
    }

    /** Transpose of a matrix. */
    public static Var t(Var x) { return permute(x, 1, 0); }

    /** Elements [start, end) along an axis. Backward: zero-padding back to the input shape. */
    public static Var slice(Var x, int axis, int start, int end) {
        int[] xs = x.shape();
        int ax = Shapes.normAxis("slice", axis, xs.length);
        return Var.derived("slice", x.value().slice(ax, start, end).contiguous(), of(x), g -> of(pad(g, ax, start, xs[ax])));
    }

    /** Embeds x at [start, start+len) along an axis of total length {@code total}, zeros elsewhere. Backward: slice. */
    public static Var pad(Var x, int axis, int start, int total) {
        int[] xs = x.shape();
        int ax = Shapes.normAxis("pad", axis, xs.length);
        int len = xs[ax];
        if (start < 0 || start + len > total) throw new IllegalArgumentException("pad: [" + start + ", " + (start + len) + ") outside length " + total);
        int[] os = xs.clone(); os[ax] = total;
        int outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= xs[i];
        for (int i = ax + 1; i < xs.length; i++) inner *= xs[i];
        // in the value's own dtype: a slice's backward pads every gradient through here, and a round trip through
        // double arrays tripled what an f32 step allocated for it (the copy is exact either way)
        Tensor v = x.value().contiguous();
        boolean f32 = v.dtype() == DType.F32;
        Object src = f32 ? v.floatStorage() : v.doubleStorage(), dst = f32 ? new float[Shapes.size(os)] : new double[Shapes.size(os)];
        for (int o = 0; o < outer; o++)
            System.arraycopy(src, v.offset() + o * len * inner, dst, (o * total + start) * inner, len * inner);
        Tensor out = f32 ? Tensor.wrap((float[]) dst, os) : Tensor.wrap((double[]) dst, os);
        return Var.derived("pad", out, of(x), g -> of(slice(g, ax, start, start + len)));
    }

    /** Concatenation along an axis. Backward: slices. */
    public static Var concat(int axis, Var... xs) {
        if (xs.length == 1) return xs[0];
        int ax = Shapes.normAxis("concat", axis, xs[0].rank());
        int total = 0;
        for (Var x : xs) {
            int[] s0 = xs[0].shape(), s = x.shape();
            boolean ok = s.length == s0.length;
            for (int i = 0; ok && i < s.length; i++) ok = i == ax || s[i] == s0[i];
            if (!ok) throw new IllegalArgumentException("concat: shapes " + Shapes.str(s0) + " and " + Shapes.str(s) + " differ outside axis " + ax);
            total += x.dim(ax);
        }
        DType dt = xs[0].dtype();
        for (Var x : xs) if (x.dtype() != dt) throw new IllegalArgumentException("concat: dtypes " + dt + " and " + x.dtype() + " differ");
        int[] os = xs[0].shape().clone();
        os[ax] = total;
        int outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= os[i];
        for (int i = ax + 1; i < os.length; i++) inner *= os[i];
        // one copy per input block into one output array (values exactly as they are, -0.0 included)
        Object dst = dt == DType.F32 ? new float[Shapes.size(os)] : new double[Shapes.size(os)];
        int[] starts = new int[xs.length];
        int start = 0;
        for (int k = 0; k < xs.length; k++) {
            Tensor v = xs[k].value().contiguous();
            Object src = dt == DType.F32 ? v.floatStorage() : v.doubleStorage();
            int len = xs[k].dim(ax);
            for (int o = 0; o < outer; o++)
                System.arraycopy(src, v.offset() + o * len * inner, dst, (o * total + start) * inner, len * inner);
            starts[k] = start;
            start += len;
        }
        Tensor value = dt == DType.F32 ? Tensor.wrap((float[]) dst, os) : Tensor.wrap((double[]) dst, os);
        return Var.derived("concat", value, xs.clone(), g -> {
            Var[] r = new Var[xs.length];
            for (int k = 0; k < xs.length; k++) r[k] = slice(g, ax, starts[k], starts[k] + xs[k].dim(ax));
            return r;
        });
    }

    /** Dtype conversion. Backward: cast back. */
    public static Var cast(Var x, DType to) {
        if (x.dtype() == to) return x;
        DType from = x.dtype();
        return Var.derived("cast", x.value().cast(to), of(x), g -> of(cast(g, from)));
    }

    // ================================================================ elementwise binary

    public static Var add(Var a, Var b) {
        int[] as = a.shape(), bs = b.shape();
        return Var.derived("add", b().binary(Binary.ADD, a.value(), b.value()), of(a, b), g -> of(sumTo(g, as), sumTo(g, bs)));
    }

    public static Var sub(Var a, Var b) {
        int[] as = a.shape(), bs = b.shape();
        return Var.derived("sub", b().binary(Binary.SUB, a.value(), b.value()), of(a, b), g -> of(sumTo(g, as), sumTo(neg(g), bs)));
    }

    public static Var mul(Var a, Var b) {
        int[] as = a.shape(), bs = b.shape();
        return Var.derived("mul", b().binary(Binary.MUL, a.value(), b.value()), of(a, b),
                g -> of(a.requiresGrad() ? sumTo(mul(g, b), as) : null, b.requiresGrad() ? sumTo(mul(g, a), bs) : null));
    }

    public static Var div(Var a, Var b) {
        int[] as = a.shape(), bs = b.shape();
        return Var.derived("div", b().binary(Binary.DIV, a.value(), b.value()), of(a, b),
                g -> of(a.requiresGrad() ? sumTo(div(g, b), as) : null,
                        b.requiresGrad() ? sumTo(neg(div(mul(g, a), square(b))), bs) : null));
    }

    /** Elementwise maximum; the gradient goes to a where a >= b, else to b. */
    public static Var maximum(Var a, Var b) {
        Tensor mask = b().binary(Binary.GE, a.value(), b.value());
        return where(mask, a, b);
    }

    /** Elementwise minimum; the gradient goes to a where a &le; b, else to b. */
    public static Var minimum(Var a, Var b) {
        Tensor mask = b().binary(Binary.LE, a.value(), b.value());
        return where(mask, a, b);
    }

    /** cond != 0 ? a : b; cond is a constant mask. */
    public static Var where(Tensor cond, Var a, Var b) {
        int[] as = a.shape(), bs = b.shape();
        return Var.derived("where", b().where(cond, a.value(), b.value()), of(a, b), g -> {
            Var zero = zerosLike(g);
            return of(a.requiresGrad() ? sumTo(where(cond, g, zero), as) : null, b.requiresGrad() ? sumTo(where(cond, zero, g), bs) : null);
        });
    }

    /** Comparison mask (a constant, no gradient). */
    public static Tensor compare(Binary op, Var a, Var b) { return b().binary(op, a.value(), b.value()); }

    // ================================================================ scalar arithmetic

    /** a·x + c with scalars a, c. */
    public static Var affine(Var x, double a, double c) {
        if (a == 1 && c == 0) return x;
        return Var.derived("affine", b().affine(x.value(), a, c), of(x), g -> of(affine(g, a, 0)));
    }

    public static Var scale(Var x, double a) { return affine(x, a, 0); }

    public static Var addScalar(Var x, double c) { return affine(x, 1, c); }

    public static Var neg(Var x) { return Var.derived("neg", b().unary(Unary.NEG, x.value()), of(x), g -> of(neg(g))); }

    /** x^p for a constant exponent p. */
    public static Var pow(Var x, double p) {
        if (p == 1) return x;
        if (p == 2) return square(x);
        Tensor pt = Tensor.scalar(x.dtype(), p);
        return Var.derived("pow", b().binary(Binary.POW, x.value(), pt), of(x), g -> of(mul(g, scale(pow(x, p - 1), p))));
    }

    // ================================================================ elementwise unary

    public static Var exp(Var x) {
        Tensor y = b().unary(Unary.EXP, x.value());
        Var[] self = new Var[1];
        self[0] = Var.derived("exp", y, of(x), g -> of(mul(g, self[0])));
        return self[0];
    }

    public static Var log(Var x) { return Var.derived("log", b().unary(Unary.LOG, x.value()), of(x), g -> of(div(g, x))); }

    public static Var log1p(Var x) { return Var.derived("log1p", b().unary(Unary.LOG1P, x.value()), of(x), g -> of(div(g, addScalar(x, 1)))); }

    public static Var expm1(Var x) {
        Var[] self = new Var[1];
        self[0] = Var.derived("expm1", b().unary(Unary.EXPM1, x.value()), of(x), g -> of(mul(g, addScalar(self[0], 1))));
        return self[0];
    }

    public static Var tanh(Var x) {
        Var[] self = new Var[1];
        self[0] = Var.derived("tanh", b().unary(Unary.TANH, x.value()), of(x), g -> of(mul(g, affine(square(self[0]), -1, 1))));
        return self[0];
    }

    public static Var sigmoid(Var x) {
        Var[] self = new Var[1];
        self[0] = Var.derived("sigmoid", b().unary(Unary.SIGMOID, x.value()), of(x), g -> of(mul(g, mul(self[0], affine(self[0], -1, 1)))));
        return self[0];
    }

    public static Var softplus(Var x) { return Var.derived("softplus", b().unary(Unary.SOFTPLUS, x.value()), of(x), g -> of(mul(g, sigmoid(x)))); }

    /** relu(x) = max(x, 0); relu'(0) := 0 as in PyTorch. The mask is constant, so relu'' = 0. */
    public static Var relu(Var x) {
        return Var.derived("relu", b().unary(Unary.RELU, x.value()), of(x), g -> of(mul(g, constant(b().unary(Unary.STEP, x.value())))));
    }

    /** silu(x) = x·sigmoid(x). */
    public static Var silu(Var x) {
        return Var.derived("silu", b().unary(Unary.SILU, x.value()), of(x), g -> {
            Var s = sigmoid(x);
            return of(mul(g, mul(s, addScalar(mul(x, affine(s, -1, 1)), 1))));
        });
    }

    public static Var sqrt(Var x) {
        Var[] self = new Var[1];
        self[0] = Var.derived("sqrt", b().unary(Unary.SQRT, x.value()), of(x), g -> of(div(scale(g, 0.5), self[0])));
        return self[0];
    }

    public static Var square(Var x) { return Var.derived("square", b().unary(Unary.SQUARE, x.value()), of(x), g -> of(mul(g, scale(x, 2)))); }

    public static Var abs(Var x) { return Var.derived("abs", b().unary(Unary.ABS, x.value()), of(x), g -> of(mul(g, constant(b().unary(Unary.SIGN, x.value()))))); }

    public static Var reciprocal(Var x) {
        Var[] self = new Var[1];
        self[0] = Var.derived("reciprocal", b().unary(Unary.RECIPROCAL, x.value()), of(x), g -> of(neg(mul(g, square(self[0])))));
        return self[0];
    }

    /** Applies an activation by name (used by nn layers). */
    public static Var activate(Activation act, Var x) {
        return switch (act) {
            case IDENTITY -> x;
            case RELU -> relu(x);
            case TANH -> tanh(x);
            case SILU -> silu(x);
            case SOFTPLUS -> softplus(x);
            case SIGMOID -> sigmoid(x);
        };
    }

    // ================================================================ reductions

    /** Sum over one axis. Backward: broadcast back. */
    public static Var sum(Var x, int axis, boolean keepDim) {
        int[] xs = x.shape();
        int ax = Shapes.normAxis("sum", axis, xs.length);
        return Var.derived("sum", b().reduce(Reduce.SUM, x.value(), ax, keepDim), of(x), g -> {
            Var gk = keepDim ? g : unsqueeze(g, ax);
            return of(broadcastTo(gk, xs));
        });
    }

    /** Sum of all elements (a scalar of shape []). */
    public static Var sum(Var x) {
        Var flat = reshape(x, x.size());
        return sum(flat, 0, false);
    }

    public static Var mean(Var x, int axis, boolean keepDim) { return scale(sum(x, axis, keepDim), 1.0 / x.dim(axis)); }

    public static Var mean(Var x) { return scale(sum(x), 1.0 / x.size()); }

    /** Max over an axis; the gradient is shared equally among tied maxima. */
    public static Var max(Var x, int axis, boolean keepDim) {
        int[] xs = x.shape();
        int ax = Shapes.normAxis("max", axis, xs.length);
        Tensor m = b().reduce(Reduce.MAX, x.value(), ax, true);
        Tensor mask = b().binary(Binary.EQ, x.value(), m);
        Tensor count = b().reduce(Reduce.SUM, mask, ax, true);
        Tensor weights = b().binary(Binary.DIV, mask, count);
        // NOTE: the value comes from the kernel, not from Σ x·weights: −∞·0 would make it NaN
        Tensor out = keepDim ? m : m.reshape(dropAxis(xs, ax));
        return Var.derived("max", out, of(x), g -> of(mul(broadcastTo(keepDim ? g : unsqueeze(g, ax), xs), constant(weights))));
    }

    /**
     * log Σ exp along an axis, stable (max-shifted in the kernel). Backward: g·softmax, written
     * with ops so it is twice differentiable.
     */
    public static Var logSumExp(Var x, int axis, boolean keepDim) {
        int[] xs = x.shape();
        int ax = Shapes.normAxis("logSumExp", axis, xs.length);
        Tensor lse = b().reduce(Reduce.LOGSUMEXP, x.value(), ax, true);
        Tensor out = keepDim ? lse : lse.reshape(dropAxis(xs, ax));
        return Var.derived("logSumExp", out, of(x), g -> {
            Var gk = keepDim ? g : unsqueeze(g, ax);
            // softmax = exp(x − m) / Σ exp(x − m) with a constant shift m (the max; 0 where it is not
            // finite). NOTE: not exp(x − lse): when lse absorbs log Σ (|x| ~ 1e30) that sums to > 1.
            // Where all entries are −∞ the sum is 0 and the softmax is defined as 0 (no 0/0).
            Tensor m = b().reduce(Reduce.MAX, x.value(), ax, true);
            Tensor finite = b().binary(Binary.MUL, b().binary(Binary.GT, m, Tensor.scalar(m.dtype(), Double.NEGATIVE_INFINITY)),
                    b().binary(Binary.LT, m, Tensor.scalar(m.dtype(), Double.POSITIVE_INFINITY)));
            Tensor shift = b().where(finite, m, Tensor.scalar(m.dtype(), 0));
            Var e = exp(sub(x, constant(shift)));
            Var s = sum(e, ax, true);
            Var soft = div(e, where(b().binary(Binary.GT, s.value(), Tensor.scalar(m.dtype(), 0)), s, onesLike(s)));
            return of(mul(broadcastTo(gk, xs), soft));
        });
    }

    public static Var unsqueeze(Var x, int axis) {
        int[] xs = x.shape();
        int ax = axis < 0 ? axis + xs.length + 1 : axis;
        int[] ns = new int[xs.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) ns[i] = i == ax ? 1 : xs[j++];
        return reshape(x, ns);
    }

    private static int[] dropAxis(int[] s, int ax) {
        int[] ns = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != ax) ns[j++] = s[i];
        return ns;
    }

    // ================================================================ linear algebra

    /** op(A)·op(B) for matrices. Backward via matmuls with the right transposes. */
    public static Var matmul(Var a, Var b, boolean ta, boolean tb) {
        Tensor c = b().matmul(a.value(), b.value(), ta, tb);
        return Var.derived("matmul", c, of(a, b), g -> {
            Var ga = null, gb = null;
            if (a.requiresGrad()) ga = ta ? matmul(b, g, tb, true) : matmul(g, b, false, !tb);
            if (b.requiresGrad()) gb = tb ? matmul(g, a, true, ta) : matmul(a, g, !ta, false);
            return of(ga, gb);
        });
    }

    public static Var matmul(Var a, Var b) { return matmul(a, b, false, false); }

    // ================================================================ fused ops

    /**
     * D[n,m] = ||x_n − y_m||² (fused). Backward: gx = 2(rowsum(G)∘x − G·y), gy = 2(colsum(G)∘y − Gᵀ·x);
     * first order through the fused contraction kernel, higher order through the same formula in ops.
     */
    public static Var sqDist(Var x, Var y) {
        Tensor d = b().sqDist(x.value(), y.value());
        return Var.derived("sqDist", d, of(x, y), g -> {
            if (!GradMode.isRecording()) {
                Tensor[] c = b().distContract(g.value(), x.value(), y.value());
                return of(Var.constant(b().affine(c[0], 2, 0)), Var.constant(b().affine(c[1], 2, 0)));
            }
            Var gx = scale(sub(mul(sum(g, 1, true), x), matmul(g, y)), 2);
            Var gy = scale(sub(mul(t(sum(g, 0, true)), y), matmul(g, x, true, false)), 2);
            return of(gx, gy);
        });
    }

    /**
     * D[n,m] = Σ_k |x_nk − y_mk| (fused; the Laplace kernel's distance). Backward, with
     * s = sign(x_n − y_m) per coordinate (0 at a tie, as abs' in torch): gx[n] = Σ_m G_nm s,
     * gy[m] = −Σ_n G_nm s. First order through the fused contraction kernel; when a graph is
     * recorded, the backward of the composite twin written in ops (G[:, :, None]·s with s an N×M×d
     * constant, as {@link #abs}'s backward: |·|'' = 0 away from ties). Not Autodiff.vjp of the twin:
     * for l1Dist(x, x) it would hand each of the two aliased inputs the full gradient.
     */
    public static Var l1Dist(Var x, Var y) {
        Tensor d = b().l1Dist(x.value(), y.value());
        return Var.derived("l1Dist", d, of(x, y), g -> {
            if (!GradMode.isRecording()) {
                Tensor[] c = b().l1DistContract(g.value(), x.value(), y.value());
                return of(Var.constant(c[0]), Var.constant(c[1]));
            }
            int n = x.dim(0), m = y.dim(0), k = x.dim(1);
            Tensor diff = b().binary(Binary.SUB, x.value().reshape(n, 1, k), y.value().reshape(1, m, k));
            Var t = mul(reshape(g, n, m, 1), constant(b().unary(Unary.SIGN, diff)));   // N×M×d
            return of(sum(t, 1, false), neg(sum(t, 0, false)));
        });
    }

    /**
     * K = kernel(D, h) elementwise for a scalar bandwidth Var h (shape [] or [1]); fused. D is the
     * kernel's own distance ({@link StationaryKernel#distance()}: {@link #sqDist} for RBF and IMQ,
     * {@link #l1Dist} for Laplace). The gradient reaches h (the median bandwidth is not detached
     * in KSIVI's reference code).
     */
    public static Var kernelFromSqDist(StationaryKernel kernel, Var dist2, Var h) {
        if (h.size() != 1) throw new IllegalArgumentException("kernelFromSqDist: bandwidth h must be a scalar ([] or [1]), got shape " + Shapes.str(h.shape()));
        double hv = h.value().item();
        Tensor k = b().kernelFromSqDist(kernel, dist2.value(), hv);
        return Var.derived("kernel." + kernel.name().toLowerCase(), k, of(dist2, h), g -> {
            if (!GradMode.isRecording()) {
                Tensor[] r = b().kernelFromSqDistBackward(kernel, dist2.value(), k, hv, g.value());
                return of(Var.constant(r[0]), Var.constant(r[1].reshape(h.shape())));
            }
            Var[] gs = Autodiff.vjp(ins -> Composite.kernelFromSqDist(kernel, ins[0], ins[1]), new Var[] {dist2, h}, g, true);
            return gs;
        });
    }

    /**
     * S = Σ_{n,m} k(D(x_n, y_m); h)·(a_n·b_m) (fused KSD quadratic form; a scalar) for x N×d, y M×d,
     * a N×e, b M×e and a scalar bandwidth h ([] or [1]); D the kernel's own distance. No N×M
     * tensor, and one backend pass over the pairs per evaluation: when a gradient may be asked for
     * (a graph is recorded and an input needs one) the forward computes S with all its partial
     * derivatives, and the first-order backward only scales them by the upstream gradient.
     * When a graph is recorded in the backward (higher order), it is the vjp of the composite
     * twin ({@link Composite#ksdQuadratic}), with an aliased input (x = y, a = b for the
     * U-statistic) given its total gradient once: vjp returns it in every slot the Var fills.
     */
    public static Var ksdQuadratic(StationaryKernel kernel, Var x, Var y, Var a, Var b, Var h) {
        if (h.size() != 1) throw new IllegalArgumentException("ksdQuadratic: bandwidth h must be a scalar ([] or [1]), got shape " + Shapes.str(h.shape()));
        double hv = h.value().item();
        Var[] ins = {x, y, a, b, h};
        boolean needsGradient = GradMode.isRecording() && Arrays.stream(ins).anyMatch(Var::requiresGrad);
        Tensor[] r = needsGradient ? b().ksdQuadraticWithGradient(kernel, x.value(), y.value(), a.value(), b.value(), hv)
                : new Tensor[] {b().ksdQuadratic(kernel, x.value(), y.value(), a.value(), b.value(), hv)};
        return Var.derived("ksdQuadratic." + kernel.name().toLowerCase(), r[0], ins, g -> {
            if (!GradMode.isRecording()) {   // partial derivatives per slot: the tape sums the slots of an aliased input
                double gv = g.value().item();
                return of(Var.constant(b().affine(r[1], gv, 0)), Var.constant(b().affine(r[2], gv, 0)), Var.constant(b().affine(r[3], gv, 0)),
                        Var.constant(b().affine(r[4], gv, 0)), Var.constant(b().affine(r[5], gv, 0).reshape(h.shape())));
            }
            return onceEach(ins, Autodiff.vjp(v -> Composite.ksdQuadratic(kernel, v[0], v[1], v[2], v[3], v[4]), ins, g, true));
        });
    }

    /** vjp's total gradients with the slot of every repeated input (the same Var earlier in ins) emptied, so the tape adds each once. */
    private static Var[] onceEach(Var[] ins, Var[] totals) {
        Var[] r = totals.clone();
        for (int i = 0; i < ins.length; i++)
            for (int j = 0; j < i; j++) if (ins[j] == ins[i]) r[i] = null;
        return r;
    }

    /**
     * The median of all entries of x (lower median), a scalar whose gradient goes to the selected
     * entry. Selection in the kernel, not sorting.
     */
    public static Var median(Var x) {
        double m = b().median(x.value());
        int[] xs = x.shape();
        return Var.derived("median", Tensor.scalar(x.dtype(), m), of(x), g -> {
            double[] v = x.value().toDoubleArray();
            double[] onehot = new double[v.length];
            int at = -1;
            for (int i = 0; i < v.length; i++) if (v[i] == m) { at = i; break; }
            // first order: the gradient itself (g at the selected entry): one buffer of x.shape instead of
            // three (broadcast g, one-hot mask, their product)
            if (!GradMode.isRecording()) { if (at >= 0) onehot[at] = g.value().item(); return of(constant(Tensor.of(x.dtype(), onehot, xs))); }
            if (at >= 0) onehot[at] = 1;
            return of(mul(broadcastTo(g, xs), constant(Tensor.of(x.dtype(), onehot, xs))));
        });
    }

    /**
     * out[n] = log (1/K) Σ_k N(x_n | μ_k, diag exp(2·logSigma_k)) (fused). logSigma is K×d or
     * 1×d (shared). Second order goes through the composite twin.
     */
    public static Var lseMixture(Var x, Var mu, Var logSigma) {
        Tensor out = b().lseMixture(x.value(), mu.value(), logSigma.value());
        return Var.derived("lseMixture", out, of(x, mu, logSigma), g -> {
            if (!GradMode.isRecording()) {
                Tensor[] r = b().lseMixtureBackward(x.value(), mu.value(), logSigma.value(), g.value());
                return of(Var.constant(r[0]), Var.constant(r[1]), Var.constant(r[2]));
            }
            return Autodiff.vjp(ins -> Composite.lseMixture(ins[0], ins[1], ins[2]), new Var[] {x, mu, logSigma}, g, true);
        });
    }

    /** y = act(x W + b) (fused conditional layer). Second order goes through the composite twin. */
    public static Var dense(Activation act, Var x, Var w, Var bias) {
        Tensor y = b().dense(act, x.value(), w.value(), bias.value());
        return Var.derived("dense." + act.name().toLowerCase(), y, of(x, w, bias), g -> {
            if (!GradMode.isRecording()) {
                // Only the gradients some input needs: a frozen layer (SIVI-SM's critic in the φ-step)
                // needs gx alone, a layer on a constant input (every first layer) gW and gb alone.
                boolean needX = x.requiresGrad(), needW = w.requiresGrad() || bias.requiresGrad();
                Tensor[] r = b().denseBackward(act, x.value(), w.value(), bias.value(), y, g.value(), needX, needW);
                return of(needX ? Var.constant(r[0]) : null, needW ? Var.constant(r[1]) : null, needW ? Var.constant(r[2]) : null);
            }
            return Autodiff.vjp(ins -> Composite.dense(act, ins[0], ins[1], ins[2]), new Var[] {x, w, bias}, g, true);
        });
    }
}
