package sivi.kernels.ref;

import java.util.Arrays;
import sivi.kernels.*;
import sivi.kernels.fused.dense.DenseRef;
import sivi.kernels.fused.kernel.KernelRef;
import sivi.kernels.fused.ksd.KsdRef;
import sivi.kernels.fused.median.MedianRef;
import sivi.kernels.fused.mixture.MixtureRef;
import sivi.kernels.fused.pairwise.PairwiseRef;
import sivi.kernels.fused.relunet.ReluNetRef;
import sivi.tensor.DType;
import sivi.tensor.Shapes;
import sivi.tensor.Tensor;

/**
 * The oracle: the most obvious loops over {@link Tensor#get}-style indexing, all arithmetic in
 * double, one rounding to the output dtype at the end. Never optimised; single-threaded.
 */
public final class ScalarBackend implements Backend {

    @Override public String name() { return "scalar"; }
    @Override public int threads() { return 1; }

    private static Tensor out(DType dt, double[] v, int... shape) { return Tensor.of(dt, v, shape); }

    @Override public Tensor unary(Unary op, Tensor x) {
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] = op.apply(v[i]);
        return out(x.dtype(), v, x.shape());
    }

    @Override public Tensor binary(Binary op, Tensor a, Tensor b) {
        DType dt = Checks.sameDType(op.name().toLowerCase(), a, b);
        int[] s = Shapes.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        double[] av = a.expand(s).toDoubleArray(), bv = b.expand(s).toDoubleArray();
        double[] v = new double[av.length];
        for (int i = 0; i < v.length; i++) v[i] = op.apply(av[i], bv[i]);
        return out(dt, v, s);
    }

    @Override public Tensor where(Tensor cond, Tensor a, Tensor b) {
        DType dt = Checks.sameDType("where", a, b);
        int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape(), a.shape()), b.shape());
        double[] c = cond.expand(s).toDoubleArray(), av = a.expand(s).toDoubleArray(), bv = b.expand(s).toDoubleArray();
        double[] v = new double[c.length];
        for (int i = 0; i < v.length; i++) v[i] = c[i] != 0 ? av[i] : bv[i];
        return out(dt, v, s);
    }

    @Override public Tensor affine(Tensor x, double a, double b) {
        double[] v = x.toDoubleArray();
        if (x.dtype() == DType.F32) { // the F32 contract: scalars rounded to float, as a float kernel sees them
            float fa = (float) a, fb = (float) b;
            for (int i = 0; i < v.length; i++) v[i] = (double) fa * v[i] + fb;
        } else for (int i = 0; i < v.length; i++) v[i] = a * v[i] + b;
        return out(x.dtype(), v, x.shape());
    }

    @Override public Tensor reduce(Reduce op, Tensor x, int axis, boolean keepDim) {
        Checks.ReduceGeometry geo = Checks.reduceGeometry(x.shape(), axis, keepDim);
        int outer = geo.outer(), len = geo.len(), inner = geo.inner();
        double[] v = x.toDoubleArray();
        double[] r = new double[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                double acc;
                switch (op) {
                    case SUM, MEAN -> {
                        acc = 0;
                        for (int j = 0; j < len; j++) acc += v[base + j * inner];
                        if (op == Reduce.MEAN) acc /= len;
                    }
                    case MAX -> {
                        acc = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < len; j++) acc = Math.max(acc, v[base + j * inner]);
                    }
                    default -> {
                        double m = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < len; j++) m = Math.max(m, v[base + j * inner]);
                        if (m == Double.NEGATIVE_INFINITY || m == Double.POSITIVE_INFINITY || Double.isNaN(m)) acc = m;
                        else {
                            double sum = 0;
                            for (int j = 0; j < len; j++) sum += Math.exp(v[base + j * inner] - m);
                            acc = m + Math.log(sum);
                        }
                    }
                }
                r[o * inner + in] = acc;
            }
        return out(x.dtype(), r, geo.outShape());
    }

    @Override public Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int[] check = Shapes.broadcast("sumTo", shape, gs);
        if (!Arrays.equals(check, gs)) throw new IllegalArgumentException("sumTo: " + Shapes.str(gs) + " does not broadcast from " + Shapes.str(shape));
        double[] v = g.toDoubleArray();
        double[] r = new double[Shapes.size(shape)];
        int lead = gs.length - shape.length;
        int[] idx = new int[gs.length];
        int[] rst = Shapes.rowMajorStrides(shape);
        for (int i = 0; i < v.length; i++) {
            int p = 0;
            for (int a = 0; a < shape.length; a++) if (shape[a] != 1) p += idx[a + lead] * rst[a];
            r[p] += v[i];
            for (int a = gs.length - 1; a >= 0; a--) { if (++idx[a] < gs[a]) break; idx[a] = 0; }
        }
        return out(g.dtype(), r, shape);
    }

    @Override public Tensor matmul(Tensor a, Tensor b, boolean ta, boolean tb) {
        int[] mkn = Checks.matmulShape("matmul", a, b, ta, tb);
        int m = mkn[0], k = mkn[1], n = mkn[2];
        Tensor A = ta ? a.transpose(0, 1) : a, B = tb ? b.transpose(0, 1) : b;
        double[] av = A.toDoubleArray(), bv = B.toDoubleArray();
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += av[i * k + p] * bv[p * n + j];
                c[i * n + j] = s;
            }
        return out(a.dtype(), c, m, n);
    }

    // ------------------------------------------------------------ fused ops: each op's oracle in its own package

    @Override public Tensor sqDist(Tensor x, Tensor y) { return PairwiseRef.sqDist(x, y); }
    @Override public Tensor l1Dist(Tensor x, Tensor y) { return PairwiseRef.l1Dist(x, y); }
    @Override public Tensor[] distContract(Tensor w, Tensor x, Tensor y) { return PairwiseRef.distContract(w, x, y); }
    @Override public Tensor[] l1DistContract(Tensor w, Tensor x, Tensor y) { return PairwiseRef.l1DistContract(w, x, y); }
    @Override public Tensor kernelFromSqDist(StationaryKernel kernel, Tensor dist2, double h) { return KernelRef.kernelFromSqDist(kernel, dist2, h); }
    @Override public Tensor[] kernelFromSqDistBackward(StationaryKernel kernel, Tensor dist2, Tensor k, double h, Tensor gK) { return KernelRef.kernelFromSqDistBackward(kernel, dist2, k, h, gK); }
    @Override public Tensor ksdQuadratic(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) { return KsdRef.ksdQuadratic(kernel, x, y, a, b, h); }
    @Override public Tensor[] ksdQuadraticWithGradient(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) { return KsdRef.ksdQuadraticWithGradient(kernel, x, y, a, b, h); }
    @Override public double median(Tensor x) { return MedianRef.lowerMedian(x); }
    /** The twin on this backend's own distances and median: the oracle's composition (no second copy of it). */
    @Override public sivi.kernels.PairMedian pairwiseMedian(Tensor x, Tensor y, boolean l1) { return sivi.kernels.fused.median.MedianTwin.pairwise(this, x, y, l1); }
    @Override public Tensor lseMixture(Tensor x, Tensor mu, Tensor logSigma) { return MixtureRef.lseMixture(x, mu, logSigma); }
    @Override public Tensor[] lseMixtureBackward(Tensor x, Tensor mu, Tensor logSigma, Tensor gOut) { return MixtureRef.lseMixtureBackward(x, mu, logSigma, gOut); }
    @Override public Tensor dense(Activation act, Tensor x, Tensor w, Tensor b) { return DenseRef.dense(act, x, w, b); }
    @Override public Tensor[] denseBackward(Activation act, Tensor x, Tensor w, Tensor b, Tensor y, Tensor gy) { return DenseRef.denseBackward(act, x, w, b, y, gy); }
    @Override public Tensor reluNetGradient(Tensor x, Tensor y, Tensor theta, Tensor v, int hidden, double c) { return ReluNetRef.gradient(x, y, theta, v, hidden, c); }
}
