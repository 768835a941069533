package sivi.kernels.ref;

import java.util.Arrays;
import sivi.kernels.*;
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

    @Override public Tensor sqDist(Tensor x, Tensor y) { return pairDist("sqDist", false, x, y); }

    @Override public Tensor l1Dist(Tensor x, Tensor y) { return pairDist("l1Dist", true, x, y); }

    /** D[n,m] = Σ_k (x_nk − y_mk)², or Σ_k |x_nk − y_mk| with l1, summed in k order in double. */
    private static Tensor pairDist(String op, boolean l1, Tensor x, Tensor y) {
        int d = Checks.pairDims(op, x, y);
        int n = x.dim(0), m = y.dim(0);
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray(), r = new double[n * m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) r[i * m + j] = pairDistance(l1, xv, i, yv, j, d);
        return out(x.dtype(), r, n, m);
    }

    @Override public Tensor[] distContract(Tensor w, Tensor x, Tensor y) { return pairContract("distContract", false, w, x, y); }

    @Override public Tensor[] l1DistContract(Tensor w, Tensor x, Tensor y) { return pairContract("l1DistContract", true, w, x, y); }

    /** gx_n = Σ_m t, gy_m = −Σ_n t with t = w_nm·(x_n − y_m), or w_nm·sign(x_n − y_m) with l1 (per coordinate). */
    private static Tensor[] pairContract(String op, boolean l1, Tensor w, Tensor x, Tensor y) {
        int d = Checks.pairDims(op, x, y);
        int n = x.dim(0), m = y.dim(0);
        Checks.pairWeights(op, w, x, y);
        double[] wv = w.toDoubleArray(), xv = x.toDoubleArray(), yv = y.toDoubleArray();
        double[] gx = new double[n * d], gy = new double[m * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) {
                double wij = wv[i * m + j];
                for (int k = 0; k < d; k++) {
                    double diff = xv[i * d + k] - yv[j * d + k], t = wij * (l1 ? Math.signum(diff) : diff);
                    gx[i * d + k] += t;
                    gy[j * d + k] -= t;
                }
            }
        return new Tensor[] {out(x.dtype(), gx, n, d), out(x.dtype(), gy, m, d)};
    }


    @Override public Tensor kernelFromSqDist(StationaryKernel kernel, Tensor dist2, double h) {
        double[] v = dist2.toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] = kernel.value(v[i], h);
        return out(dist2.dtype(), v, dist2.shape());
    }

    @Override public Tensor[] kernelFromSqDistBackward(StationaryKernel kernel, Tensor dist2, Tensor k, double h, Tensor gK) {
        double[] dv = dist2.toDoubleArray(), kv = k.toDoubleArray(), gv = gK.toDoubleArray();
        double[] gd = new double[dv.length];
        double gh = 0;
        for (int i = 0; i < dv.length; i++) {
            gd[i] = gv[i] * kernel.dValueDDist(dv[i], h, kv[i]);
            gh += gv[i] * kernel.dValueDBandwidth(dv[i], h, kv[i]);
        }
        return new Tensor[] {out(dist2.dtype(), gd, dist2.shape()), out(dist2.dtype(), new double[] {gh})};
    }

    /** Σ_k (x_ik − y_jk)², or Σ_k |x_ik − y_jk| with l1, for rows of length d in flat arrays. */
    private static double pairDistance(boolean l1, double[] xv, int i, double[] yv, int j, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) { double t = xv[i * d + k] - yv[j * d + k]; s += l1 ? Math.abs(t) : t * t; }
        return s;
    }

    private static boolean l1(StationaryKernel kernel) { return kernel.distance() == StationaryKernel.Distance.L1; }

    private static double dot(double[] av, int i, double[] bv, int j, int e) {
        double s = 0;
        for (int k = 0; k < e; k++) s += av[i * e + k] * bv[j * e + k];
        return s;
    }

    @Override public Tensor ksdQuadratic(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Checks.ksdShapes("ksdQuadratic", x, y, a, b);
        int n = x.dim(0), m = y.dim(0), d = x.dim(1), e = a.dim(1);
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray(), av = a.toDoubleArray(), bv = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) s += kernel.value(pairDistance(l1(kernel), xv, i, yv, j, d), h) * dot(av, i, bv, j, e);
        return Tensor.scalar(x.dtype(), s);
    }

    @Override public Tensor[] ksdQuadraticWithGradient(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Checks.ksdShapes("ksdQuadraticWithGradient", x, y, a, b);
        int n = x.dim(0), m = y.dim(0), d = x.dim(1), e = a.dim(1);
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray(), av = a.toDoubleArray(), bv = b.toDoubleArray();
        double[] gx = new double[n * d], gy = new double[m * d], ga = new double[n * e], gb = new double[m * e];
        double s = 0, gh = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) {
                double dist = pairDistance(l1(kernel), xv, i, yv, j, d), k = kernel.value(dist, h), p = dot(av, i, bv, j, e);
                double w = p * kernel.dValueDDist(dist, h, k);
                s += k * p;
                gh += p * kernel.dValueDBandwidth(dist, h, k);
                for (int c = 0; c < e; c++) {
                    ga[i * e + c] += k * bv[j * e + c];
                    gb[j * e + c] += k * av[i * e + c];
                }
                for (int c = 0; c < d; c++) {
                    double diff = xv[i * d + c] - yv[j * d + c];
                    double t = w * (kernel.distance() == StationaryKernel.Distance.L1 ? Math.signum(diff) : 2 * diff);
                    gx[i * d + c] += t;
                    gy[j * d + c] -= t;
                }
            }
        DType dt = x.dtype();
        return new Tensor[] {Tensor.scalar(dt, s), out(dt, gx, n, d), out(dt, gy, m, d), out(dt, ga, n, e), out(dt, gb, m, e), Tensor.scalar(dt, gh)};
    }

    @Override public double median(Tensor x) {
        double[] v = x.toDoubleArray();
        if (v.length == 0) throw new IllegalArgumentException("median of an empty tensor");
        Arrays.sort(v); // the oracle may sort; fast backends select
        return v[(v.length - 1) / 2];
    }

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** ℓ[n,k] = log N(x_n | μ_k, diag σ_k²). */
    private static double[] componentLogDensities(double[] xv, double[] mv, double[] sv, int n, int kk, int d, boolean shared) {
        double[] l = new double[n * kk];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < kk; k++) {
                double s = 0;
                int so = shared ? 0 : k * d;
                for (int j = 0; j < d; j++) {
                    double ls = sv[so + j];
                    double z = (xv[i * d + j] - mv[k * d + j]) * Math.exp(-ls);
                    s += -0.5 * z * z - ls - 0.5 * LOG_2PI;
                }
                l[i * kk + k] = s;
            }
        return l;
    }

    @Override public Tensor lseMixture(Tensor x, Tensor mu, Tensor logSigma) {
        boolean shared = Checks.mixture("lseMixture", x, mu, logSigma);
        int n = x.dim(0), kk = mu.dim(0), d = x.dim(1);
        double[] l = componentLogDensities(x.toDoubleArray(), mu.toDoubleArray(), logSigma.toDoubleArray(), n, kk, d, shared);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < kk; k++) m = Math.max(m, l[i * kk + k]);
            double s = 0;
            for (int k = 0; k < kk; k++) s += Math.exp(l[i * kk + k] - m);
            r[i] = m + Math.log(s) - Math.log(kk);
        }
        return out(x.dtype(), r, n);
    }

    @Override public Tensor[] lseMixtureBackward(Tensor x, Tensor mu, Tensor logSigma, Tensor gOut) {
        boolean shared = Checks.mixture("lseMixtureBackward", x, mu, logSigma);
        int n = x.dim(0), kk = mu.dim(0), d = x.dim(1);
        double[] xv = x.toDoubleArray(), mv = mu.toDoubleArray(), sv = logSigma.toDoubleArray(), g = gOut.toDoubleArray();
        double[] l = componentLogDensities(xv, mv, sv, n, kk, d, shared);
        double[] gx = new double[n * d], gm = new double[kk * d], gs = new double[sv.length];
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < kk; k++) m = Math.max(m, l[i * kk + k]);
            double s = 0;
            for (int k = 0; k < kk; k++) s += Math.exp(l[i * kk + k] - m);
            for (int k = 0; k < kk; k++) {
                double w = g[i] * Math.exp(l[i * kk + k] - m) / s; // gOut_n · responsibility r_nk
                int so = shared ? 0 : k * d;
                for (int j = 0; j < d; j++) {
                    double inv = Math.exp(-2 * sv[so + j]);
                    double diff = xv[i * d + j] - mv[k * d + j];
                    gx[i * d + j] -= w * diff * inv;
                    gm[k * d + j] += w * diff * inv;
                    gs[so + j] += w * (diff * diff * inv - 1);
                }
            }
        }
        return new Tensor[] {out(x.dtype(), gx, n, d), out(x.dtype(), gm, kk, d), out(x.dtype(), gs, logSigma.shape())};
    }

    @Override public Tensor dense(Activation act, Tensor x, Tensor w, Tensor b) {
        int o = Checks.dense("dense", x, w, b);
        int n = x.dim(0), in = x.dim(1);
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), bv = b.toDoubleArray(), y = new double[n * o];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < o; j++) {
                double s = bv[j];
                for (int p = 0; p < in; p++) s += xv[i * in + p] * wv[p * o + j];
                y[i * o + j] = act.apply(s);
            }
        return out(x.dtype(), y, n, o);
    }

    @Override public Tensor[] denseBackward(Activation act, Tensor x, Tensor w, Tensor b, Tensor y, Tensor gy) {
        int o = Checks.dense("denseBackward", x, w, b);
        int n = x.dim(0), in = x.dim(1);
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), bv = b.toDoubleArray(), yv = y.toDoubleArray(), g = gy.toDoubleArray();
        double[] gp = new double[n * o];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < o; j++) {
                double pre = bv[j];
                for (int p = 0; p < in; p++) pre += xv[i * in + p] * wv[p * o + j];
                gp[i * o + j] = g[i * o + j] * act.derivative(pre, yv[i * o + j]);
            }
        double[] gx = new double[n * in], gw = new double[in * o], gb = new double[o];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < o; j++) {
                double v = gp[i * o + j];
                gb[j] += v;
                for (int p = 0; p < in; p++) { gx[i * in + p] += v * wv[p * o + j]; gw[p * o + j] += xv[i * in + p] * v; }
            }
        return new Tensor[] {out(x.dtype(), gx, n, in), out(x.dtype(), gw, in, o), out(x.dtype(), gb, b.shape())};
    }
}
