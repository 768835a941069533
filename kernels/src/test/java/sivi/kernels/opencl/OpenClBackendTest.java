package sivi.kernels.opencl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import sivi.kernels.*;
import sivi.kernels.ref.ScalarBackend;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Every {@link OpenClBackend} op against the scalar oracle, f32 and (where the device has
 * cl_khr_fp64) f64, at sizes 0/1/7/17/33/100/257, on views and on extreme values.
 *
 * <p>Tolerances come from floating-point error bounds, with u = 2⁻²⁴ (f32) or 2⁻⁵³ (f64) the unit
 * roundoff and the oracle treated as exact (it accumulates in double and rounds once):
 * <ul>
 *   <li>elementwise built-ins: {@value #ULPS} ulp of the result (OpenCL 1.2 §7.4 allows up to
 *       16 ulp for pow, 5 for tanh, 3 for exp/log, 2.5 for f32 divide; composites such as sigmoid
 *       add a few roundings), i.e. 2·{@value #ULPS}·u·|want|;</li>
 *   <li>sums of n terms in the dtype: γ_n·Σ|terms| with γ_n ≈ (n + c)·u (Higham, Accuracy and
 *       Stability of Numerical Algorithms, §3.1), with Σ|terms| computed by the oracle on |inputs|;</li>
 *   <li>an absolute slack of the smallest normal number, since OpenCL lets f32 flush denormals.</li>
 * </ul>
 */
@Tag("gpu")
class OpenClBackendTest {
    static final int ULPS = 20;
    static final int[] SIZES = {0, 1, 7, 17, 33, 100, 257};

    static OpenClBackend cl;
    static final Backend ref = new ScalarBackend();

    @BeforeAll
    static void device() {
        cl = OpenClTestSupport.backendOrNull(); // before parameter sources run, so they see fp64
    }

    @BeforeEach
    void requireDevice() {
        OpenClTestSupport.backendOrSkip(); // per test, so that a skip is reported with its reason
    }

    static Stream<DType> dtypes() {
        List<DType> l = new ArrayList<>(List.of(DType.F32));
        if (cl != null && cl.device().fp64()) l.add(DType.F64);
        return l.stream();
    }

    static Stream<Arguments> dtypeSizes() {
        return dtypes().flatMap(dt -> java.util.Arrays.stream(SIZES).mapToObj(n -> Arguments.of(dt, n)));
    }

    // ------------------------------------------------------------------ helpers

    static double u(DType dt) { return dt == DType.F32 ? 0x1p-24 : 0x1p-53; }

    static double tiny(DType dt) { return dt == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL; }

    static Tensor rand(SplittableRandom r, DType dt, double lo, double hi, int... shape) {
        double[] v = new double[sivi.tensor.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return Tensor.of(dt, v, shape);
    }

    /** A non-contiguous view with the given shape: the transpose of a fresh [cols, rows] tensor. */
    static Tensor randView(SplittableRandom r, DType dt, double lo, double hi, int rows, int cols) {
        return rand(r, dt, lo, hi, cols, rows).transpose(0, 1);
    }

    static Tensor abs(Tensor t) { return ref.unary(Unary.ABS, t); }

    static double[] scaled(Tensor t, double s) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]) * s;
        return v;
    }

    /** want and got agree: same shape, NaN where NaN, equal infinities, else |got − want| ≤ bound[i] + tiny. */
    static void assertClose(String what, Tensor want, Tensor got, double[] bound) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        assertEquals(want.dtype(), got.dtype(), what + ": dtype");
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        double t = tiny(want.dtype());
        for (int i = 0; i < w.length; i++) {
            if (Double.isNaN(w[i]) || Double.isInfinite(w[i])) { assertEquals(w[i], g[i], 0.0, what + " at " + i); continue; }
            double b = (bound.length == 1 ? bound[0] : bound[i]) + t;
            if (!(Math.abs(g[i] - w[i]) <= b))
                fail(what + " at " + i + ": want " + w[i] + ", got " + g[i] + ", |diff| " + Math.abs(g[i] - w[i]) + " > bound " + b);
        }
    }

    /** Elementwise bound: ULPS ulp of want. */
    static void assertUlps(String what, Tensor want, Tensor got) {
        assertClose(what, want, got, scaled(want, 2.0 * ULPS * u(want.dtype())));
    }

    static double[] add(double[] a, double[] b) { double[] c = a.clone(); for (int i = 0; i < c.length; i++) c[i] += b[i]; return c; }

    // ------------------------------------------------------------------ elementwise

    @ParameterizedTest @MethodSource("dtypeSizes")
    void unaryAgreesWithOracleOnViews(DType dt, int n) {
        var r = new SplittableRandom(n);
        for (Unary op : Unary.values()) {
            boolean positive = op == Unary.LOG || op == Unary.SQRT || op == Unary.RECIPROCAL;
            Tensor x = randView(r, dt, positive ? 0.05 : -5, 5, n, 3);
            assertUlps(op + " n=" + n, ref.unary(op, x), cl.unary(op, x));
        }
    }

    @ParameterizedTest @MethodSource("dtypes")
    void unaryAgreesWithOracleOnExtremes(DType dt) {
        double[] v = {Double.NEGATIVE_INFINITY, -1e30, -100, -20, -1, -1e-30, -0.0, 0, 1e-30, 0.5, 1, 20, 88, 100, 1e30, Double.POSITIVE_INFINITY, Double.NaN};
        Tensor x = Tensor.of(dt, v, v.length);
        for (Unary op : Unary.values()) assertUlps(op + " extremes", ref.unary(op, x), cl.unary(op, x));
    }

    @ParameterizedTest @MethodSource("dtypeSizes")
    void binaryAgreesWithOracleWithBroadcasting(DType dt, int n) {
        var r = new SplittableRandom(100 + n);
        Tensor a = randView(r, dt, 0.1, 3, n, 4);            // [n,4] view
        Tensor b = rand(r, dt, -2, 2, 1, 4);                  // broadcast over rows
        Tensor c = rand(r, dt, 0.5, 2, n, 1);                 // broadcast over columns
        Tensor s = rand(r, dt, -1, 1);                        // rank 0
        for (Binary op : Binary.values()) {
            assertUlps(op + " a,b n=" + n, ref.binary(op, a, b), cl.binary(op, a, b));
            assertUlps(op + " c,a n=" + n, ref.binary(op, c, a), cl.binary(op, c, a));
            assertUlps(op + " a,s n=" + n, ref.binary(op, a, s), cl.binary(op, a, s));
        }
        Tensor same = Tensor.of(dt, a.toDoubleArray(), n, 4);
        assertUlps("EQ with itself", ref.binary(Binary.EQ, a, same), cl.binary(Binary.EQ, a, same));
    }

    @ParameterizedTest @MethodSource("dtypeSizes")
    void whereSelectsExactlyLikeOracle(DType dt, int n) {
        var r = new SplittableRandom(200 + n);
        Tensor cond = ref.binary(Binary.GT, rand(r, dt, -1, 1, n, 1), Tensor.scalar(dt, 0));
        Tensor a = randView(r, dt, -3, 3, n, 5), b = rand(r, dt, -3, 3, 5);
        assertClose("where", ref.where(cond, a, b), cl.where(cond, a, b), new double[] {0});
        DType other = dt == DType.F32 ? DType.F64 : DType.F32;
        if (other == DType.F32 || cl.device().fp64()) {
            long before = cl.stats().hostOps();
            Tensor c2 = cond.cast(other);
            assertClose("where, cond of other dtype", ref.where(c2, a, b), cl.where(c2, a, b), new double[] {0});
            assertEquals(before + (n == 0 ? 0 : 1), cl.stats().hostOps(), "a host-built mask is counted as a host op");
        }
    }

    @ParameterizedTest @MethodSource("dtypeSizes")
    void affineWithinOneRoundingOfEachTerm(DType dt, int n) {
        var r = new SplittableRandom(300 + n);
        Tensor x = randView(r, dt, -10, 10, n, 2);
        double a = -1.7, b = 0.3;
        // fma rounds once; the reference may round twice: 2u(|a x| + |b|)
        double[] bound = add(scaled(x, 2 * u(dt) * Math.abs(a)), new double[x.size()]);
        for (int i = 0; i < bound.length; i++) bound[i] += 2 * u(dt) * Math.abs(b);
        assertClose("affine", ref.affine(x, a, b), cl.affine(x, a, b), bound);
    }

    // ------------------------------------------------------------------ reductions

    @ParameterizedTest @MethodSource("dtypeSizes")
    void reduceAgreesWithinSummationBound(DType dt, int n) {
        var r = new SplittableRandom(400 + n);
        Tensor x = randView(r, dt, -4, 4, n, 6);   // [n,6] view
        for (int axis = 0; axis < 2; axis++) {
            int len = x.dim(axis);
            for (Reduce op : Reduce.values()) {
                Tensor want = ref.reduce(op, x, axis, axis == 1);
                Tensor got = cl.reduce(op, x, axis, axis == 1);
                double[] bound = switch (op) {
                    case SUM -> scaled(ref.reduce(Reduce.SUM, abs(x), axis, axis == 1), (len + 2) * u(dt));
                    case MEAN -> add(scaled(ref.reduce(Reduce.MEAN, abs(x), axis, axis == 1), (len + 2) * u(dt)), scaled(want, 2 * u(dt)));
                    case MAX -> new double[] {0};
                    // each shifted exp within a few ulp, so log(s) is off by ≤ (2 len + 8) u absolutely, plus rounding of m + log s
                    case LOGSUMEXP -> add(new double[want.size()], scaled(want, 2 * u(dt)));
                };
                if (op == Reduce.LOGSUMEXP) for (int i = 0; i < bound.length; i++) bound[i] += (2 * len + 8) * u(dt);
                assertClose(op + " axis " + axis + " n=" + n, want, got, bound);
            }
        }
    }

    @ParameterizedTest @MethodSource("dtypes")
    void logSumExpHandlesHugeAndInfiniteEntries(DType dt) {
        double inf = Double.POSITIVE_INFINITY;
        Tensor x = Tensor.of(dt, new double[] {
                1e30, -1e30, 0, 5,
                -1e30, -1e30, -1e30, -1e30,
                -inf, -inf, -inf, -inf,
                -inf, 3, -inf, 2,
                inf, 1, 2, 3,
                Double.NaN, 1, 2, 3}, 6, 4);
        Tensor want = ref.reduce(Reduce.LOGSUMEXP, x, 1, false), got = cl.reduce(Reduce.LOGSUMEXP, x, 1, false);
        double[] bound = scaled(want, 2 * u(dt));
        for (int i = 0; i < bound.length; i++) bound[i] += 16 * u(dt);
        assertClose("logsumexp extremes", want, got, bound);
        assertEquals(Double.NEGATIVE_INFINITY, got.get(2), "all −∞ gives −∞");
        assertClose("max extremes", ref.reduce(Reduce.MAX, x, 1, false), cl.reduce(Reduce.MAX, x, 1, false), new double[] {0});
    }

    @ParameterizedTest @MethodSource("dtypes")
    void emptyReductionsFollowTheContract(DType dt) {
        Tensor x = Tensor.zeros(dt, 3, 0);
        for (Reduce op : Reduce.values()) assertClose("empty " + op, ref.reduce(op, x, 1, false), cl.reduce(op, x, 1, false), new double[] {0});
    }

    @ParameterizedTest @MethodSource("dtypeSizes")
    void sumToIsTheAdjointOfBroadcasting(DType dt, int n) {
        var r = new SplittableRandom(500 + n);
        Tensor g = rand(r, dt, -2, 2, 2, n, 3);
        for (int[] shape : new int[][] {{3}, {n, 1}, {1, n, 3}, {2, 1, 3}, {1}, {}}) {
            Tensor want = ref.sumTo(g, shape), got = cl.sumTo(g, shape);
            int count = Math.max(1, g.size() / Math.max(1, want.size()));
            assertClose("sumTo " + java.util.Arrays.toString(shape), want, got, scaled(ref.sumTo(abs(g), shape), (count + 2) * u(dt)));
        }
    }

    // ------------------------------------------------------------------ GEMM

    @ParameterizedTest @MethodSource("dtypeSizes")
    void matmulWithinGammaKOfAbsoluteProduct(DType dt, int n) {
        var r = new SplittableRandom(600 + n);
        int k = 19, m = Math.max(1, n / 3 + 1);
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = ta ? randView(r, dt, -1, 1, k, n) : randView(r, dt, -1, 1, n, k);
                Tensor b = tb ? rand(r, dt, -1, 1, m, k) : rand(r, dt, -1, 1, k, m);
                Tensor want = ref.matmul(a, b, ta, tb);
                double[] bound = scaled(ref.matmul(abs(a), abs(b), ta, tb), (k + 2) * u(dt));
                assertClose("matmul ta=" + ta + " tb=" + tb + " n=" + n, want, cl.matmul(a, b, ta, tb), bound);
            }
    }

    @ParameterizedTest @MethodSource("dtypes")
    void matmulWithEmptyInnerDimensionIsZero(DType dt) {
        Tensor a = Tensor.zeros(dt, 5, 0), b = Tensor.zeros(dt, 0, 7);
        assertClose("k=0", ref.matmul(a, b, false, false), cl.matmul(a, b, false, false), new double[] {0});
    }

    // ------------------------------------------------------------------ pairwise

    @ParameterizedTest @MethodSource("dtypeSizes")
    void sqDistAndContractionsAgreeWithOracle(DType dt, int n) {
        var r = new SplittableRandom(700 + n);
        int d = 3, m = Math.max(1, (n * 2) / 3);
        Tensor x = randView(r, dt, -2, 2, n, d), y = rand(r, dt, -2, 2, m, d);
        Tensor want = ref.sqDist(x, y);
        assertClose("sqDist n=" + n, want, cl.sqDist(x, y), scaled(want, (d + 4) * u(dt)));

        Tensor w = rand(r, dt, -1, 1, n, m);
        Tensor[] wantC = ref.distContract(w, x, y), gotC = cl.distContract(w, x, y);
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray(), wv = w.toDoubleArray();
        double[] bx = new double[n * d], by = new double[m * d];   // Σ|w||x − y|, times γ
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                for (int k = 0; k < d; k++) {
                    double t = Math.abs(wv[i * m + j] * (xv[i * d + k] - yv[j * d + k]));
                    bx[i * d + k] += t * (m + 4) * u(dt);
                    by[j * d + k] += t * (n + 4) * u(dt);
                }
        assertClose("distContract gx n=" + n, wantC[0], gotC[0], bx);
        assertClose("distContract gy n=" + n, wantC[1], gotC[1], by);
    }

    /** L1 distances and their contraction, on views, at N = n, M ≈ 2n/3 and d in {1, 8, 17}, with exact ties. */
    @ParameterizedTest @MethodSource("dtypeSizes")
    void l1DistAndItsContractionAgreeWithOracle(DType dt, int n) {
        var r = new SplittableRandom(750 + n);
        int m = Math.max(1, (n * 2) / 3);
        for (int d : new int[] {1, 8, 17}) {
            Tensor x = randView(r, dt, -2, 2, n, d), y = rand(r, dt, -2, 2, m, d);
            Tensor want = ref.l1Dist(x, y);
            assertClose("l1Dist n=" + n + " d=" + d, want, cl.l1Dist(x, y), scaled(want, (d + 4) * u(dt)));

            Tensor w = randView(r, dt, -1, 1, n, m);
            double[] tv = y.toDoubleArray();
            if (n > 0) for (int k = 0; k < d; k++) tv[k] = x.get(0, k);   // row 0 of y equals row 0 of x: exact ties
            Tensor yTies = Tensor.of(dt, tv, m, d);
            for (Tensor yy : new Tensor[] {y, yTies}) {
                Tensor[] wantC = ref.l1DistContract(w, x, yy), gotC = cl.l1DistContract(w, x, yy);
                // the signs are exact: (count + 4)·u·Σ|w| per output
                double[] rowAbs = ref.reduce(Reduce.SUM, abs(w), 1, false).toDoubleArray(), colAbs = ref.reduce(Reduce.SUM, abs(w), 0, false).toDoubleArray();
                double[] bx = new double[n * d], by = new double[m * d];
                for (int i = 0; i < n * d; i++) bx[i] = (m + 4) * u(dt) * rowAbs[i / d];
                for (int j = 0; j < m * d; j++) by[j] = (n + 4) * u(dt) * colAbs[j / d];
                assertClose("l1DistContract gx n=" + n + " d=" + d, wantC[0], gotC[0], bx);
                assertClose("l1DistContract gy n=" + n + " d=" + d, wantC[1], gotC[1], by);
            }
        }
    }

    /** Bounds of {@link KsdBounds} with the built-ins' {@value #ULPS} ulp and sums over all N·M terms in the dtype (the composed path). */
    @ParameterizedTest @MethodSource("dtypeSizes")
    void ksdQuadraticAndItsBackwardAgreeWithOracle(DType dt, int n) {
        var r = new SplittableRandom(900 + n);
        int m = n == 0 ? 3 : 33 - n % 7, d = 1 + n % 3, e = n % 2 == 0 ? 2 : 22;
        Tensor x = randView(r, dt, -2, 2, n, d), y = rand(r, dt, -2, 2, m, d), a = rand(r, dt, -1, 1, n, e), b = randView(r, dt, -1, 1, m, e);
        double h = 0.9;
        for (StationaryKernel kind : StationaryKernel.values()) {
            double[][] tol = KsdBounds.of(kind, x, y, a, b, h, ULPS, n * m + n + e);
            Tensor want = ref.ksdQuadratic(kind, x, y, a, b, h);
            assertClose(kind + " S n=" + n, want, cl.ksdQuadratic(kind, x, y, a, b, h), KsdBounds.plusUlp(tol[0], want));
            Tensor[] wb = ref.ksdQuadraticWithGradient(kind, x, y, a, b, h), gb = cl.ksdQuadraticWithGradient(kind, x, y, a, b, h);
            String[] names = {"S", "gx", "gy", "ga", "gb", "gh"};
            for (int o = 0; o < 6; o++) assertClose(kind + " " + names[o] + " n=" + n, wb[o], gb[o], KsdBounds.plusUlp(tol[o], wb[o]));
        }
    }

    @ParameterizedTest @MethodSource("dtypeSizes")
    void radialKernelsAndTheirBackwardAgreeWithOracle(DType dt, int n) {
        var r = new SplittableRandom(800 + n);
        Tensor d2 = randView(r, dt, 0, 8, n, 5);
        Tensor gK = rand(r, dt, -1, 1, n, 5);
        double h = 1.3;
        for (StationaryKernel kind : StationaryKernel.values()) {
            Tensor want = ref.kernelFromSqDist(kind, d2, h);
            // the exponent −D/(2h²) (RBF) or −D/h (Laplace) carries a relative error of ~2u, i.e. ~2u|arg| relative in exp
            double[] bound = scaled(want, 2 * ULPS * u(dt));
            double[] dv = d2.toDoubleArray(), kv = want.toDoubleArray();
            double perD = kind == StationaryKernel.LAPLACE ? 1 / h : 1 / (2 * h * h);
            for (int i = 0; i < bound.length; i++) bound[i] += 4 * u(dt) * Math.abs(kv[i]) * dv[i] * perD;
            assertClose(kind + " n=" + n, want, cl.kernelFromSqDist(kind, d2, h), bound);

            Tensor[] wb = ref.kernelFromSqDistBackward(kind, d2, want, h, gK), gb = cl.kernelFromSqDistBackward(kind, d2, want, h, gK);
            assertUlps(kind + " gD n=" + n, wb[0], gb[0]);
            double mag = ref.kernelFromSqDistBackward(kind, d2, want, h, abs(gK))[1].item(); // Σ|gK ∂k/∂h|, ∂k/∂h ≥ 0
            assertClose(kind + " gh n=" + n, wb[1], gb[1], new double[] {(n * 5 + 2 * ULPS) * u(dt) * mag});
        }
    }

    @ParameterizedTest @MethodSource("dtypeSizes")
    void medianIsExactAndCountedAsHostOp(DType dt, int n) {
        if (n == 0) { assertThrows(IllegalArgumentException.class, () -> cl.median(Tensor.zeros(dt, 0))); return; }
        var r = new SplittableRandom(900 + n);
        Tensor x = randView(r, dt, -5, 5, n, 3);
        long before = cl.stats().hostOps();
        assertEquals(ref.median(x), cl.median(x), 0.0);
        assertEquals(before + 1, cl.stats().hostOps());
        Tensor ties = Tensor.of(dt, new double[] {2, 1, 2, 1, Double.NaN, 2, 1}, 7);
        assertEquals(ref.median(ties), cl.median(ties), 0.0);
    }

    // ------------------------------------------------------------------ log-sum-exp mixture

    /** Per row i: T_i = max_k Σ_j |term_ikj| of the component log-density (the scale of its rounding error). */
    static double[] mixtureScale(Tensor x, Tensor mu, Tensor ls) {
        int n = x.dim(0), kk = mu.dim(0), d = x.dim(1);
        boolean shared = ls.dim(0) == 1 && kk != 1;
        double[] xv = x.toDoubleArray(), mv = mu.toDoubleArray(), sv = ls.toDoubleArray(), t = new double[n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < kk; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double l = sv[(shared ? 0 : k * d) + j], z = (xv[i * d + j] - mv[k * d + j]) * Math.exp(-l);
                    s += 0.5 * z * z + Math.abs(l) + 0.92;
                }
                t[i] = Math.max(t[i], s);
            }
        return t;
    }

    static Stream<Arguments> mixtureCases() {
        return dtypeSizes().flatMap(a -> Stream.of(Arguments.of(a.get()[0], a.get()[1], false), Arguments.of(a.get()[0], a.get()[1], true)));
    }

    @ParameterizedTest @MethodSource("mixtureCases")
    void lseMixtureAndGradientAgreeWithOracle(DType dt, int n, boolean shared) {
        var r = new SplittableRandom(1000 + n);
        int kk = 5, d = 3;
        Tensor x = randView(r, dt, -3, 3, n, d), mu = rand(r, dt, -2, 2, kk, d), ls = rand(r, dt, -0.7, 0.5, shared ? 1 : kk, d);
        double[] t = mixtureScale(x, mu, ls);
        Tensor want = ref.lseMixture(x, mu, ls);
        // ℓ is off by ≤ (d + 16) u T_i; the log-sum-exp adds (2K + 8) u and the final rounding
        double[] eps = new double[n];
        for (int i = 0; i < n; i++) eps[i] = (d + 16) * u(dt) * t[i] + (2 * kk + 8) * u(dt);
        assertClose("lseMixture n=" + n, want, cl.lseMixture(x, mu, ls), add(eps, scaled(want, 2 * u(dt))));

        Tensor gOut = rand(r, dt, -1, 1, n);
        Tensor[] wg = ref.lseMixtureBackward(x, mu, ls, gOut), gg = cl.lseMixtureBackward(x, mu, ls, gOut);
        // each responsibility r_ik has relative error ≲ 2 eps_i + ULPS u; each gradient sum has γ_{K or N}.
        // Bounds use Σ |gOut_i| r_ik |terms| computed from the oracle run on |gOut|, with r_ik ≤ 1 bounded by 1 for the error part.
        double[] xv = x.toDoubleArray(), mv = mu.toDoubleArray(), sv = ls.toDoubleArray(), gv = gOut.toDoubleArray();
        double[] bx = new double[n * d], bm = new double[kk * d], bs = new double[ls.size()];
        for (int i = 0; i < n; i++) {
            double rel = 2 * eps[i] + 2 * ULPS * u(dt) + (Math.max(n, kk) + 4) * u(dt);
            for (int k = 0; k < kk; k++)
                for (int j = 0; j < d; j++) {
                    int so = (shared ? 0 : k * d) + j;
                    double inv = Math.exp(-2 * sv[so]), diff = xv[i * d + j] - mv[k * d + j];
                    double a = Math.abs(gv[i]) * rel;
                    bx[i * d + j] += a * Math.abs(diff) * inv;
                    bm[k * d + j] += a * Math.abs(diff) * inv;
                    bs[so] += a * (diff * diff * inv + 1);
                }
        }
        assertClose("gx n=" + n, wg[0], gg[0], bx);
        assertClose("gmu n=" + n, wg[1], gg[1], bm);
        assertClose("glogSigma n=" + n + " shared=" + shared, wg[2], gg[2], bs);
    }

    @ParameterizedTest @MethodSource("dtypes")
    void lseMixtureIsStableFarFromEveryComponent(DType dt) {
        Tensor x = Tensor.of(dt, new double[] {1e3, -1e3, 30, 30, 0, 0}, 3, 2);
        Tensor mu = Tensor.of(dt, new double[] {0, 0, 1, 1, -2, 3}, 3, 2);
        Tensor ls = Tensor.of(dt, new double[] {-3, -3, 0, 0, 1, 1}, 3, 2);
        Tensor want = ref.lseMixture(x, mu, ls);
        double[] t = mixtureScale(x, mu, ls), bound = scaled(want, 2 * u(dt));
        for (int i = 0; i < t.length; i++) bound[i] += 18 * u(dt) * t[i] + 18 * u(dt);
        assertClose("far lseMixture", want, cl.lseMixture(x, mu, ls), bound);
        assertTrue(Double.isFinite(cl.lseMixture(x, mu, ls).get(0)), "log-density 1e3 away stays finite");
    }

    // ------------------------------------------------------------------ conditional layer

    @ParameterizedTest @MethodSource("dtypeSizes")
    void denseForwardAndBackwardAgreeWithOracle(DType dt, int n) {
        var r = new SplittableRandom(1100 + n);
        int in = 7, o = 5;
        Tensor x = randView(r, dt, -1, 1, n, in), w = rand(r, dt, -1, 1, in, o), b = rand(r, dt, -0.5, 0.5, o);
        Tensor ax = abs(x), aw = abs(w);
        // |pre − pre~| ≤ (I + 2) u (|x||W| + |b|); every activation is 1.1-Lipschitz
        double[] preErr = scaled(ref.binary(Binary.ADD, ref.matmul(ax, aw, false, false), abs(b)), (in + 2) * u(dt));
        for (Activation act : Activation.values()) {
            Tensor y = ref.dense(act, x, w, b);
            assertClose(act + " dense n=" + n, y, cl.dense(act, x, w, b), add(scaled(Tensor.wrap(preErr, n, o), 1.1), scaled(y, 2 * ULPS * u(dt))));

            Tensor gy = rand(r, dt, -1, 1, n, o);
            Tensor[] want = ref.denseBackward(act, x, w, b, y, gy), got = cl.denseBackward(act, x, w, b, y, gy);
            // gp = gy act'(pre): |gp| ≤ 1.1|gy|; its error δgp ≤ |gy| (preErr + 2·ULPS u) (act' is 1-Lipschitz and ≤ 1.1)
            double[] gyv = gy.toDoubleArray(), dgp = new double[n * o], gpAbs = new double[n * o];
            for (int i = 0; i < dgp.length; i++) { dgp[i] = Math.abs(gyv[i]) * (preErr[i] + 2 * ULPS * u(dt)); gpAbs[i] = 1.1 * Math.abs(gyv[i]); }
            Tensor dgpT = Tensor.wrap(dgp, n, o), gpT = Tensor.wrap(gpAbs, n, o), awd = aw.cast(DType.F64), axd = ax.cast(DType.F64);
            double[] bx = add(scaled(ref.matmul(gpT, awd, false, true), (o + 2) * u(dt)), ref.matmul(dgpT, awd, false, true).toDoubleArray());
            double[] bw = add(scaled(ref.matmul(axd, gpT, true, false), (n + 2) * u(dt)), ref.matmul(axd, dgpT, true, false).toDoubleArray());
            double[] bb = add(scaled(ref.reduce(Reduce.SUM, gpT, 0, false), (n + 2) * u(dt)), ref.reduce(Reduce.SUM, dgpT, 0, false).toDoubleArray());
            assertClose(act + " gx n=" + n, want[0], got[0], bx);
            assertClose(act + " gW n=" + n, want[1], got[1], bw);
            assertClose(act + " gb n=" + n, want[2], got[2], bb);
        }
    }

    // ------------------------------------------------------------------ transfers and selection

    @Test
    void transfersAreCountedOncePerInputAndOutput() {
        Tensor x = Tensor.of(DType.F32, new double[] {1, 2, 3, 4, 5, 6}, 3, 2), w = Tensor.of(DType.F32, new double[] {1, 0, 0, 1, 1, 1}, 2, 3);
        Tensor b = Tensor.zeros(DType.F32, 3), y = cl.dense(Activation.TANH, x, w, b), gy = Tensor.ones(DType.F32, 3, 3);
        cl.resetStats();
        cl.denseBackward(Activation.TANH, x, w, b, y, gy);
        Stats s = cl.stats();
        assertEquals(5, s.h2dCalls(), "x, W, b, y, gy go up once each");
        assertEquals(3, s.d2hCalls(), "gx, gW, gb come back once each");
        assertEquals((6 + 6 + 3 + 9 + 9) * 4, s.h2dBytes());
        assertEquals((6 + 6 + 3) * 4, s.d2hBytes());
        assertEquals(5, s.launches(), "pre GEMM, gp, gb reduction, two GEMMs");
        assertTrue(s.kernelNanos() > 0, "kernel time is taken from profiling events");
        assertEquals(0, s.hostOps());
    }

    @Test
    void backendsCreatesOpenClByNameAndAutoNeverPicksACpuDevice() {
        try (Backend b = Backends.create("opencl", 1, cl.device().index())) {
            assertEquals("opencl", b.name());
            assertEquals(1, b.threads());
        }
        try (Backend auto = Backends.create("auto", 1)) {
            boolean gpu = Devices.list().stream().anyMatch(OpenClDevice::isGpu);
            assertEquals(gpu ? "opencl" : Backends.create("simd", 1).name(), auto.name());
        }
    }

    @Test
    void askingForAMissingDeviceIsAClearError() {
        int n = Devices.list().size();
        var e = assertThrows(IllegalArgumentException.class, () -> new OpenClBackend(n));
        assertTrue(e.getMessage().contains("--device " + n + " does not exist"), e.getMessage());
    }

    @Test
    void devicesDescribeListsEveryDevice() {
        String text = Devices.describe();
        for (OpenClDevice d : Devices.list()) assertTrue(text.contains(d.name()), text);
    }

    @Test
    void openClErrorsNameTheCallAndTheCode() {
        var e = new OpenClException("clBuildProgram", -11, "log");
        assertTrue(e.getMessage().startsWith("clBuildProgram failed: -11 CL_BUILD_PROGRAM_FAILURE"), e.getMessage());
        assertEquals("CL_INVALID_KERNEL_NAME", OpenCl.errorName(-46));
    }
}
