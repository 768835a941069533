package sivi.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sivi.kernels.ref.ScalarBackend;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Contract of a {@link Backend}: every method agrees with the scalar oracle, for both dtypes, over
 * sizes around the vector widths (0, 1, 7, 8, 9, 15, 17, 33, 100, 257), extreme values, broadcasts
 * and non-contiguous views.
 *
 * <p>Tolerances are derived, not fitted: u is the unit roundoff of the dtype (2⁻²⁴ / 2⁻⁵³). A sum
 * of n terms computed in the dtype is within n·u·Σ|terms| of the exact sum (Higham, Accuracy and
 * Stability of Numerical Algorithms, 2nd ed., eq. 4.4; any summation order); the oracle sums in
 * double and rounds once, so adding a few u·Σ|terms| covers its own rounding. Lanewise
 * transcendentals get the ulp bounds derived in the implementation's javadoc. Each implementation's javadoc states the same bounds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackendContract {
    static final int[] SIZES = {0, 1, 7, 8, 9, 15, 17, 33, 100, 257};

    abstract Backend create();

    Backend fast;
    final Backend ref = new ScalarBackend();

    @BeforeAll void open() { fast = create(); }
    @AfterAll void shut() { fast.close(); }

    // ------------------------------------------------------------ helpers

    static double u(DType dt) { return dt == DType.F32 ? 0x1p-24 : 0x1p-53; }

    static double ulp(DType dt, double v) { return dt == DType.F32 ? Math.ulp((float) v) : Math.ulp(v); }

    static Tensor rand(DType dt, SplittableRandom r, double lo, double hi, int... shape) {
        double[] v = new double[sivi.tensor.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return Tensor.of(dt, v, shape);
    }

    /** Elementwise |got − want| ≤ tol[i]; NaN must meet NaN and ±∞ must be matched exactly. */
    static void assertClose(Tensor want, Tensor got, double[] tol, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        assertEquals(want.dtype(), got.dtype(), what + ": dtype");
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            if (Double.isNaN(w[i]) || Double.isInfinite(w[i])) {
                if (Double.compare(w[i], g[i]) != 0) fail(what + " [" + i + "]: want " + w[i] + ", got " + g[i]);
            } else if (!(Math.abs(g[i] - w[i]) <= tol[i]))
                fail(what + " [" + i + "]: want " + w[i] + ", got " + g[i] + " (|diff| " + Math.abs(g[i] - w[i]) + " > tol " + tol[i] + ")");
        }
    }

    static void assertUlps(Tensor want, Tensor got, double ulps, String what) {
        double[] w = want.toDoubleArray(), tol = new double[w.length];
        for (int i = 0; i < w.length; i++) tol[i] = ulps * ulp(want.dtype(), w[i]);
        assertClose(want, got, tol, what);
    }

    /** A non-contiguous view with the same values: the transpose of a contiguous transpose. */
    static Tensor strided(Tensor t) {
        return t.rank() == 2 ? t.transpose(0, 1).contiguous().transpose(0, 1) : t;
    }

    // ------------------------------------------------------------ elementwise

    static final double[] EXTREMES = {0, -0.0, 1, -1, 0.5, 1e-30, -1e-30, 1e-7, 20, -20, 88.5, 89, 100, -100, 700, 710, -745, 1e4, -1e4,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

    @ParameterizedTest @EnumSource(DType.class)
    void logisticTermsAgreeWithTheComposedOps(DType dt) {
        var r = new SplittableRandom(21);
        // {z shape, y shape}: y one row of z's last axis, or z's own shape
        int[][][] cases = {{{0, 5}, {5}}, {{1, 1}, {1, 1}}, {{3, 17}, {1, 17}}, {{7, 33}, {7, 33}}, {{100, 37}, {37}}, {{2, 3, 19}, {19}}, {{5, 77}, {77}}};
        // a fused pass may flush σ below about twice the smallest normal to 0 (see Backend#logisticTerms)
        double flush = 2 * (dt == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL);
        for (int[][] c : cases) {
            double range = c[0][c[0].length - 1] == 77 ? 1000 : 30;   // the last case crosses both flush limits
            Tensor z = rand(dt, r, -range, range, c[0]), y = rand(dt, r, 0, 1, c[1]);
            Tensor[] want = ref.logisticTerms(z, y), got = fast.logisticTerms(z, y);
            assertArrayEquals(z.shape(), got[0].shape());
            assertArrayEquals(z.shape(), got[1].shape());
            // σ within 8 ulps (the SIGMOID bound), so |δσ| ≤ 16u·σ; y − σ adds one rounding, σ(1 − σ)
            // carries δσ through both factors (|1 − 2σ| ≤ 1) plus its own rounding
            Tensor sig = ref.unary(Unary.SIGMOID, z);
            double[] sv = sig.toDoubleArray(), rv = want[0].toDoubleArray(), cv = want[1].toDoubleArray();
            double[] tr = new double[sv.length], tc = new double[sv.length];
            for (int i = 0; i < sv.length; i++) { tr[i] = 16 * u(dt) * sv[i] + 2 * u(dt) * Math.abs(rv[i]) + flush; tc[i] = 16 * u(dt) * sv[i] + 2 * u(dt) * cv[i] + flush; }
            String what = Arrays.toString(c[0]) + " y " + Arrays.toString(c[1]) + " " + dt;
            assertClose(want[0], got[0], tr, "logisticTerms residual " + what);
            assertClose(want[1], got[1], tc, "logisticTerms curvature " + what);
        }
        Tensor z = rand(dt, r, -1, 1, 4, 6), bad = rand(dt, r, 0, 1, 4);
        assertSameError(() -> ref.logisticTerms(z, bad), () -> fast.logisticTerms(z, bad));
    }

    /**
     * reluNetGradient (score and HVP of a ReLU network per draw) against the oracle. Inputs on a grid (x in quarters,
     * W1 in eighths, b1 in odd 64ths) make every pre-activation exact and nonzero in both dtypes, so both sides take the
     * same ReLU branches; one case puts b1 in 32nds, where pre-activations of exactly 0 occur (relu'(0) = 0 on both).
     * Bound: S = the oracle on |x|, −|y|, |θ|, |v| (every pre-activation active, every term of each sum the same sign,
     * so S is Σ|terms| for the gradient's sums and bounds the intermediates); the pre-activations carry (d + 1)u, f and
     * g (d + H + 6)u, ḟ and ġ as much again, the sums over B rows (B + 2)u: (B + 2(d + H) + 16)·u·S, plus the
     * oracle's one rounding.
     */
    @ParameterizedTest @EnumSource(DType.class)
    void reluNetGradientAgrees(DType dt) {
        var r = new SplittableRandom(41);
        int[][] cases = {{0, 3, 5, 2}, {1, 1, 1, 1}, {7, 2, 17, 3}, {100, 8, 50, 11}, {33, 13, 9, 17}, {5, 4, 33, 0}, {9, 3, 16, 8}};
        for (int ci = 0; ci < cases.length; ci++) {
            int rows = cases[ci][0], d = cases[ci][1], h = cases[ci][2], n = cases[ci][3], dim = (d + 1) * h + h + 1;
            boolean zeros = ci == 4;
            double[] x = new double[rows * d], th = new double[n * dim];
            for (int i = 0; i < x.length; i++) x[i] = r.nextInt(-8, 9) / 4.0;
            for (int s = 0; s < n; s++)
                for (int j = 0; j < dim; j++) {
                    int o = s * dim;
                    th[o + j] = j < d * h ? r.nextInt(-8, 9) / 8.0
                            : j < d * h + h ? (zeros ? r.nextInt(-16, 17) / 32.0 : (2 * r.nextInt(-32, 32) + 1) / 64.0)
                            : r.nextDouble(-1, 1);
                }
            Tensor xt = Tensor.of(dt, x, rows, d), yt = rand(dt, r, -2, 2, rows, 1), tt = Tensor.of(dt, th, n, dim), vt = rand(dt, r, -1, 1, n, dim);
            double c = 3.7;
            for (Tensor v : new Tensor[] {null, vt}) {
                String what = "reluNetGradient " + Arrays.toString(cases[ci]) + (v == null ? " score " : " hvp ") + dt;
                Tensor want = ref.reluNetGradient(xt, yt, tt, v, h, c), got = fast.reluNetGradient(xt, yt, tt, v, h, c);
                Tensor scale = ref.reluNetGradient(ref.unary(Unary.ABS, xt), ref.affine(ref.unary(Unary.ABS, yt), -1, 0), ref.unary(Unary.ABS, tt),
                        v == null ? null : ref.unary(Unary.ABS, v), h, c);
                double[] sv = scale.toDoubleArray(), wv = want.toDoubleArray(), tol = new double[sv.length];
                for (int i = 0; i < tol.length; i++) tol[i] = (rows + 2 * (d + h) + 16) * u(dt) * Math.abs(sv[i]) + 2 * u(dt) * Math.abs(wv[i]);
                assertClose(want, got, tol, what);
            }
        }
        Tensor x = rand(dt, r, -1, 1, 4, 2), y = rand(dt, r, -1, 1, 4, 1), bad = rand(dt, r, -1, 1, 3, 10);
        assertSameError(() -> ref.reluNetGradient(x, y, bad, null, 2, 1), () -> fast.reluNetGradient(x, y, bad, null, 2, 1));
    }

    /**
     * A NaN in one draw's parameters: the draws are independent (the others keep their bits), and the fast path puts
     * NaN where the oracle does (a NaN pre-activation is an inactive unit, as Unary.RELU; the output weight's NaN is not).
     */
    @ParameterizedTest @EnumSource(DType.class)
    void reluNetGradientKeepsANaNInItsDraw(DType dt) {
        var r = new SplittableRandom(43);
        int rows = 6, d = 3, h = 5, n = 11, dim = (d + 1) * h + h + 1;
        Tensor x = rand(dt, r, -1, 1, rows, d), y = rand(dt, r, -1, 1, rows, 1), v = rand(dt, r, -1, 1, n, dim);
        double[] th = rand(DType.F64, r, -1, 1, n, dim).toDoubleArray();
        Tensor clean = Tensor.of(dt, th, n, dim);
        th[9 * dim + 2] = Double.NaN;                  // draw 9, a first-layer weight
        th[4 * dim + (d + 1) * h + 1] = Double.NaN;    // draw 4, an output weight
        Tensor dirty = Tensor.of(dt, th, n, dim);
        for (Tensor dir : new Tensor[] {null, v}) {
            String what = (dir == null ? "score " : "hvp ") + dt;
            double[] want = ref.reluNetGradient(x, y, dirty, dir, h, 1.5).toDoubleArray(), got = fast.reluNetGradient(x, y, dirty, dir, h, 1.5).toDoubleArray();
            double[] a = fast.reluNetGradient(x, y, clean, dir, h, 1.5).toDoubleArray();
            assertTrue(Double.isNaN(want[4 * dim + dim - 1]), what + ": the oracle's b2 entry of the draw with a NaN output weight");
            for (int i = 0; i < want.length; i++) {
                assertEquals(Double.isNaN(want[i]), Double.isNaN(got[i]), what + ": NaN at entry " + i + " of the oracle " + want[i] + ", fast " + got[i]);
                if (i / dim != 9 && i / dim != 4) assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(got[i]), what + ": entry " + i + " of a clean draw changed");
            }
        }
    }

    /** Bit for bit: {@code a} and {@code b} hold the same values with the same signs of zero and NaN payloads. */
    static void assertSameBits(Tensor want, Tensor got, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        for (int i = 0; i < w.length; i++)
            if (Double.doubleToRawLongBits(w[i]) != Double.doubleToRawLongBits(g[i])) fail(what + " [" + i + "]: " + w[i] + " vs " + g[i]);
    }

    /** {m, k, n} around the vector widths and the GEMM's blocks, the skinny paths (k or n ≤ 8) and the LR score's shape. */
    static final int[][] PRODUCT_SHAPES = {{0, 3, 5}, {4, 0, 6}, {1, 1, 1}, {3, 5, 2}, {7, 9, 17}, {9, 22, 33}, {100, 22, 400}, {13, 300, 270}, {33, 40, 7}};

    /** (|A|·|B|) by the oracle, the scale of a product's rounding error. */
    double[] productMagnitude(Tensor a, Tensor b) {
        return ref.matmul(ref.unary(Unary.ABS, a), ref.unary(Unary.ABS, b), false, false).toDoubleArray();
    }

    /** The fused (A·B) ⊙ H is this backend's own matmul then MUL, bit for bit, and within the product's bound of the oracle. */
    @ParameterizedTest @EnumSource(DType.class)
    void matmulTimesIsTheComposition(DType dt) {
        var r = new SplittableRandom(31);
        for (int[] s : PRODUCT_SHAPES) {
            Tensor a = rand(dt, r, -1, 1, s[0], s[1]), b = rand(dt, r, -1, 1, s[1], s[2]), h = strided(rand(dt, r, -2, 2, s[0], s[2]));
            Tensor got = fast.matmulTimes(a, b, h);
            assertSameBits(fast.binary(Binary.MUL, fast.matmul(a, b, false, false), h), got, "matmulTimes " + Arrays.toString(s) + " " + dt);
            // and against the oracle: the product's bound (k + 2)·u·|A||B| carried through |H|, plus both products' roundings
            Tensor want = ref.matmulTimes(a, b, h);
            double[] mag = productMagnitude(a, b), hv = h.toDoubleArray(), w = want.toDoubleArray(), tol = new double[w.length];
            for (int i = 0; i < w.length; i++) tol[i] = (s[1] + 2) * u(dt) * mag[i] * Math.abs(hv[i]) + 2 * u(dt) * Math.abs(w[i]);
            assertClose(want, got, tol, "matmulTimes vs oracle " + Arrays.toString(s) + " " + dt);
        }
        Tensor a = rand(dt, r, -1, 1, 4, 3), b = rand(dt, r, -1, 1, 3, 5), bad = rand(dt, r, -1, 1, 5, 4);
        assertSameError(() -> ref.matmulTimes(a, b, bad), () -> fast.matmulTimes(a, b, bad));
    }

    /** logisticTerms of A·B is this backend's matmul then logisticTerms, bit for bit, and within the derived bound of the oracle; y a row or the product's shape, logits crossing the flush limits. */
    @ParameterizedTest @EnumSource(DType.class)
    void logisticTermsOfAProductIsTheComposition(DType dt) {
        var r = new SplittableRandom(32);
        for (int[] s : PRODUCT_SHAPES)
            for (boolean row : new boolean[] {true, false}) {
                double scale = s[2] == 400 ? 60 : 3;        // |z| up to ~ 60·√22·… beyond ±87 for the LR shape
                Tensor a = rand(dt, r, -scale, scale, s[0], s[1]), b = rand(dt, r, -1, 1, s[1], s[2]);
                Tensor y = row ? rand(dt, r, 0, 1, s[2]) : rand(dt, r, 0, 1, s[0], s[2]);
                Tensor[] want = fast.logisticTerms(fast.matmul(a, b, false, false), y), got = fast.logisticTerms(a, b, y);
                String what = Arrays.toString(s) + (row ? " y row " : " y full ") + dt;
                assertSameBits(want[0], got[0], "logisticTerms(a, b) residual " + what);
                assertSameBits(want[1], got[1], "logisticTerms(a, b) curvature " + what);
                // and against the oracle: the logits differ by at most (k + 2)·u·|A||B|, and both outputs change by at
                // most ¼ of a logit change (|σ'| ≤ ¼, |(σ(1 − σ))'| ≤ ¼); then the SIGMOID bound and flush as in logisticTermsAgreeWithTheComposedOps
                Tensor[] oracle = ref.logisticTerms(a, b, y);
                double[] mag = productMagnitude(a, b), sv = ref.unary(Unary.SIGMOID, ref.matmul(a, b, false, false)).toDoubleArray();
                double[] rv = oracle[0].toDoubleArray(), cv = oracle[1].toDoubleArray(), tr = new double[rv.length], tc = new double[rv.length];
                double flush = 2 * (dt == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL);
                for (int i = 0; i < rv.length; i++) {
                    double dz = 0.25 * (s[1] + 2) * u(dt) * mag[i];
                    tr[i] = dz + 16 * u(dt) * sv[i] + 2 * u(dt) * Math.abs(rv[i]) + flush;
                    tc[i] = dz + 16 * u(dt) * sv[i] + 2 * u(dt) * cv[i] + flush;
                }
                assertClose(oracle[0], got[0], tr, "logisticTerms(a, b) residual vs oracle " + what);
                assertClose(oracle[1], got[1], tc, "logisticTerms(a, b) curvature vs oracle " + what);
            }
        Tensor a = rand(dt, r, -1, 1, 4, 3), b = rand(dt, r, -1, 1, 3, 5), bad = rand(dt, r, 0, 1, 4);
        assertSameError(() -> ref.logisticTerms(a, b, bad), () -> fast.logisticTerms(a, b, bad));
    }

    /**
     * Chains {m, k, n, e}: A·B (m×n) then ·C (n×e); rows beyond one block (300×400, 37×2000, 41×3000, 50×1500: blocks of
     * 152 + 148, 24 + 13, 16 + 16 + 9 and 32 + 18 rows), C of ≤ 8 columns (the dot-product path, whose row tails depend on
     * where the middle array is taken to end — past the scratch array's end for 50×1500's first block), of 9–15 (the
     * second GEMM transposed) and of none; n ≤ 8 (the shallow and dot-product GEMM paths).
     */
    static final int[][] CHAIN_SHAPES = {{0, 3, 5, 2}, {4, 0, 6, 3}, {1, 1, 1, 1}, {3, 5, 2, 0}, {7, 9, 17, 4}, {9, 22, 33, 22},
            {100, 22, 400, 22}, {300, 22, 400, 22}, {37, 5, 2000, 9}, {41, 3, 3000, 12}, {13, 300, 270, 3}, {20, 30, 6, 10}, {50, 4, 40, 33},
            {50, 12, 1500, 5}};

    /** Bound on (M'·C − M·C) for M' within tol of M: Σ_j tol_ij·|c_jl| plus the product's own (n + 2)·u·Σ_j |m_ij|·|c_jl|. */
    static double[] chainTolerance(double[] tolM, double[] m, Tensor c, int rows, int n, int e, double u) {
        double[] cv = c.toDoubleArray(), t = new double[rows * e];
        for (int i = 0; i < rows; i++)
            for (int l = 0; l < e; l++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += (tolM[i * n + j] + (n + 2) * u * Math.abs(m[i * n + j])) * Math.abs(cv[j * e + l]);
                t[i * e + l] = s;
            }
        return t;
    }

    /** logisticScore is this backend's logisticTerms(a, b, y) then matmul, bit for bit, and within the derived bound of the oracle. */
    @ParameterizedTest @EnumSource(DType.class)
    void logisticScoreIsTheComposition(DType dt) {
        var r = new SplittableRandom(33);
        for (int[] s : CHAIN_SHAPES)
            for (boolean row : new boolean[] {true, false}) {
                double scale = s[2] >= 400 ? 60 : 3;        // logits beyond the flush limits for the LR shapes
                Tensor a = rand(dt, r, -scale, scale, s[0], s[1]), b = rand(dt, r, -1, 1, s[1], s[2]), c = strided(rand(dt, r, -1, 1, s[2], s[3]));
                Tensor y = row ? rand(dt, r, 0, 1, s[2]) : rand(dt, r, 0, 1, s[0], s[2]);
                Tensor[] terms = fast.logisticTerms(a, b, y), got = fast.logisticScore(a, b, y, c);
                String what = Arrays.toString(s) + (row ? " y row " : " y full ") + dt;
                assertSameBits(fast.matmul(terms[0], c, false, false), got[0], "logisticScore score " + what);
                assertSameBits(terms[1], got[1], "logisticScore curvature " + what);
                // against the oracle: the residual's bound of logisticTermsOfAProductIsTheComposition, carried through C
                Tensor[] oracle = ref.logisticScore(a, b, y, c), oracleTerms = ref.logisticTerms(a, b, y);
                double[] mag = productMagnitude(a, b), sv = ref.unary(Unary.SIGMOID, ref.matmul(a, b, false, false)).toDoubleArray();
                double[] rv = oracleTerms[0].toDoubleArray(), tr = new double[rv.length];
                double flush = 2 * (dt == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL);
                for (int i = 0; i < rv.length; i++) tr[i] = 0.25 * (s[1] + 2) * u(dt) * mag[i] + 16 * u(dt) * sv[i] + 2 * u(dt) * Math.abs(rv[i]) + flush;
                assertClose(oracle[0], got[0], chainTolerance(tr, rv, c, s[0], s[2], s[3], u(dt)), "logisticScore score vs oracle " + what);
                assertClose(oracleTerms[1], oracle[1], new double[rv.length], "the oracle's logisticScore curvature is its logisticTerms' " + what);
            }
        Tensor a = rand(dt, r, -1, 1, 4, 3), b = rand(dt, r, -1, 1, 3, 5), y = rand(dt, r, 0, 1, 5), bad = rand(dt, r, -1, 1, 4, 2);
        assertSameError(() -> ref.logisticScore(a, b, y, bad), () -> fast.logisticScore(a, b, y, bad));
        assertSameError(() -> ref.logisticScore(a, b, y, rand(dt, r, -1, 1, 5)), () -> fast.logisticScore(a, b, y, rand(dt, r, -1, 1, 5)));
    }

    /** matmulTimesMatmul is this backend's matmulTimes then matmul, bit for bit, and within the derived bound of the oracle. */
    @ParameterizedTest @EnumSource(DType.class)
    void matmulTimesMatmulIsTheComposition(DType dt) {
        var r = new SplittableRandom(34);
        for (int[] s : CHAIN_SHAPES) {
            Tensor a = rand(dt, r, -1, 1, s[0], s[1]), b = strided(rand(dt, r, -1, 1, s[1], s[2])), h = strided(rand(dt, r, -2, 2, s[0], s[2]));
            Tensor c = rand(dt, r, -1, 1, s[2], s[3]);
            Tensor got = fast.matmulTimesMatmul(a, b, h, c);
            String what = Arrays.toString(s) + " " + dt;
            assertSameBits(fast.matmul(fast.matmulTimes(a, b, h), c, false, false), got, "matmulTimesMatmul " + what);
            // against the oracle: matmulTimes' bound (k + 2)·u·|A||B||H| + 2u|M|, carried through C
            Tensor want = ref.matmulTimesMatmul(a, b, h, c);
            double[] mag = productMagnitude(a, b), hv = h.toDoubleArray(), mv = ref.matmulTimes(a, b, h).toDoubleArray(), tm = new double[mv.length];
            for (int i = 0; i < mv.length; i++) tm[i] = (s[1] + 2) * u(dt) * mag[i] * Math.abs(hv[i]) + 2 * u(dt) * Math.abs(mv[i]);
            assertClose(want, got, chainTolerance(tm, mv, c, s[0], s[2], s[3], u(dt)), "matmulTimesMatmul vs oracle " + what);
        }
        Tensor a = rand(dt, r, -1, 1, 4, 3), b = rand(dt, r, -1, 1, 3, 5), h = rand(dt, r, -1, 1, 4, 5), bad = rand(dt, r, -1, 1, 4, 2);
        assertSameError(() -> ref.matmulTimesMatmul(a, b, h, bad), () -> fast.matmulTimesMatmul(a, b, h, bad));
    }

    @ParameterizedTest @EnumSource(DType.class)
    void unaryAgreesWithReference(DType dt) {
        var r = new SplittableRandom(1);
        for (Unary op : Unary.values()) {
            // Bounds of SimdBackend#unary: exp 2 ulps; expm1 and tanh lose up to a factor 3.4 of exp's
            // error to cancellation next to |x| = ln2/2: 8 ulps; sigmoid/silu are exp plus 3 roundings.
            double ulps = switch (op) {
                case EXP -> 2;
                case EXPM1, TANH, SIGMOID, SILU -> 8;
                default -> 0;
            };
            for (int n : SIZES) {
                Tensor x = rand(dt, r, -6, 6, n);
                if (op == Unary.LOG || op == Unary.SQRT) x = rand(dt, r, 0, 50, n);
                if (op == Unary.LOG1P) x = rand(dt, r, -0.99, 50, n);
                assertUlps(ref.unary(op, x), fast.unary(op, x), ulps, op + " n=" + n + " " + dt);
            }
            Tensor ex = Tensor.of(dt, EXTREMES, EXTREMES.length);
            Tensor want = ref.unary(op, ex);
            double[] wv = want.toDoubleArray(), tol = new double[wv.length];
            // silu(x) = x·σ(x) for x ≲ −87 (F32) / −708 (F64) goes through a subnormal σ, whose absolute
            // precision is MIN_VALUE: the product is off by up to |x|·MIN_VALUE ≤ 1024·MIN_VALUE.
            double sub = op == Unary.SILU ? 1024 * (dt == DType.F32 ? Float.MIN_VALUE : Double.MIN_VALUE) : 0;
            for (int i = 0; i < wv.length; i++) tol[i] = ulps * ulp(dt, wv[i]) + sub;
            assertClose(want, fast.unary(op, ex), tol, op + " extremes " + dt);
            Tensor m = strided(rand(dt, r, 0.1, 3, 9, 17));
            assertUlps(ref.unary(op, m), fast.unary(op, m), ulps, op + " strided " + dt);
        }
    }

    @ParameterizedTest @EnumSource(DType.class)
    void transcendentalsMeetTheirUlpBoundsOnDenseSweeps(DType dt) {
        // exp over its whole finite range incl. subnormal results; expm1/tanh around 0 and ±ln2/2
        double lo = dt == DType.F32 ? -104 : -746, hi = dt == DType.F32 ? 89 : 710;
        int n = 20_001;
        double[] wide = new double[n], near = new double[n];
        for (int i = 0; i < n; i++) { wide[i] = lo + (hi - lo) * i / (n - 1); near[i] = -2 + 4.0 * i / (n - 1); }
        Tensor w = Tensor.of(dt, wide, n), z = Tensor.of(dt, near, n);
        assertUlps(ref.unary(Unary.EXP, w), fast.unary(Unary.EXP, w), 2, "exp sweep " + dt);
        for (Unary op : new Unary[] {Unary.EXP, Unary.EXPM1, Unary.TANH, Unary.SIGMOID, Unary.SILU})
            assertUlps(ref.unary(op, z), fast.unary(op, z), op == Unary.EXP ? 2 : 8, op + " sweep near 0 " + dt);
    }

    @ParameterizedTest @EnumSource(DType.class)
    void binaryAgreesWithReferenceUnderBroadcasting(DType dt) {
        var r = new SplittableRandom(2);
        int[][][] pairs = {
                {{7}, {7}}, {{3, 33}, {3, 33}}, {{257}, {1}}, {{1}, {100}}, {{}, {9, 8}}, {{5, 17}, {17}}, {{17}, {5, 17}},
                {{4, 15}, {1, 15}}, {{9, 2}, {2}}, {{3}, {11, 3}}, {{4, 1}, {1, 9}}, {{2, 1, 8}, {3, 1}}, {{0, 5}, {5}}, {{6, 1}, {6, 7}}, {{2, 3, 4}, {2, 3, 4}}};
        for (Binary op : Binary.values())
            for (int[][] p : pairs) {
                Tensor a = rand(dt, r, -3, 3, p[0]), b = rand(dt, r, -3, 3, p[1]);
                if (op == Binary.POW) { a = rand(dt, r, 0.01, 3, p[0]); }
                if (op == Binary.EQ) b = a.size() == b.size() && Arrays.equals(a.shape(), b.shape()) ? a : b;
                String what = op + " " + Arrays.toString(p[0]) + "," + Arrays.toString(p[1]) + " " + dt;
                double ulps = 0;
                assertUlps(ref.binary(op, a, b), fast.binary(op, a, b), ulps, what);
                assertUlps(ref.binary(op, strided(a), strided(b)), fast.binary(op, strided(a), strided(b)), ulps, what + " strided");
            }
        Tensor ex = Tensor.of(dt, EXTREMES, EXTREMES.length), ey = Tensor.of(dt, EXTREMES, EXTREMES.length);
        for (Binary op : Binary.values()) {
            Tensor ye = ref.unary(Unary.NEG, ey);
            double ulps = 0;
            assertUlps(ref.binary(op, ex, ye), fast.binary(op, ex, ye), ulps, op + " extremes " + dt);
        }
    }

    @ParameterizedTest @EnumSource(DType.class)
    void binaryRejectsMixedDtypes(DType dt) {
        Tensor a = Tensor.zeros(dt, 3), b = Tensor.zeros(dt == DType.F32 ? DType.F64 : DType.F32, 3);
        assertSameError(() -> ref.binary(Binary.ADD, a, b), () -> fast.binary(Binary.ADD, a, b));
    }

    @ParameterizedTest @EnumSource(DType.class)
    void whereSelectsLikeReference(DType dt) {
        var r = new SplittableRandom(3);
        for (int n : SIZES) {
            Tensor c = rand(DType.F64, r, -1, 1, n), a = rand(dt, r, -1, 1, n), b = rand(dt, r, -1, 1, 1);
            c = ref.binary(Binary.GT, c, Tensor.scalar(DType.F64, 0));
            assertUlps(ref.where(c, a, b), fast.where(c, a, b), 0, "where n=" + n + " " + dt);
        }
        Tensor c = rand(dt, r, -1, 1, 4, 1), a = rand(dt, r, -1, 1, 1, 9), b = rand(dt, r, -1, 1, 4, 9);
        assertUlps(ref.where(c, a, b), fast.where(c, a, b), 0, "where broadcast " + dt);
    }

    @ParameterizedTest @EnumSource(DType.class)
    void affineWithinOneUlpOfTheTerms(DType dt) {
        var r = new SplittableRandom(4);
        double a = 1.7, b = -0.3;
        for (int n : SIZES) {
            Tensor x = rand(dt, r, -5, 5, n);
            double[] xv = x.toDoubleArray(), tol = new double[n];
            for (int i = 0; i < n; i++) tol[i] = 2 * ulp(dt, Math.abs(a * xv[i]) + Math.abs(b));
            assertClose(ref.affine(x, a, b), fast.affine(x, a, b), tol, "affine n=" + n + " " + dt);
        }
    }

    // ------------------------------------------------------------ reductions

    @ParameterizedTest @EnumSource(DType.class)
    void reduceAgreesAlongEveryAxis(DType dt) {
        var r = new SplittableRandom(5);
        int[][] shapes = {{0}, {1}, {17}, {257}, {3, 33}, {100, 9}, {2, 15, 8}, {7, 0}, {4, 5, 6}};
        for (int[] s : shapes)
            for (int ax = 0; ax < s.length; ax++)
                for (Reduce op : Reduce.values())
                    for (boolean keep : new boolean[] {false, true}) {
                        Tensor x = rand(dt, r, -3, 3, s);
                        checkReduce(dt, op, x, ax, keep, Arrays.toString(s));
                        checkReduce(dt, op, strided(x), ax, keep, Arrays.toString(s) + " strided");
                    }
    }

    @ParameterizedTest @EnumSource(DType.class)
    void logSumExpAndMaxHandleExtremes(DType dt) {
        double inf = Double.POSITIVE_INFINITY;
        double[][] rows = {
                {1e30, -1e30, 0, 1}, {-inf, -inf, -inf, -inf}, {-inf, 0, -inf, 2}, {inf, 1, 2, 3}, {Double.NaN, 1, 2, 3},
                {-1e30, -1e30, -1e30, -1e30}, {88, 89, 90, 100}, {-inf, -1e30, -inf, -inf}};
        double[] flat = new double[rows.length * 4];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, 4 * i, 4);
        Tensor x = Tensor.of(dt, flat, rows.length, 4);
        for (Reduce op : Reduce.values()) {
            checkReduce(dt, op, x, 1, false, "extremes");
            checkReduce(dt, op, x.transpose(0, 1).contiguous(), 0, false, "extremes column-wise");
        }
    }

    /** SUM/MEAN: len·u·Σ|x| (+ its own rounding); MAX exact; LOGSUMEXP: (len + 4)·u·max(1, |r|). */
    void checkReduce(DType dt, Reduce op, Tensor x, int ax, boolean keep, String what) {
        Tensor want = ref.reduce(op, x, ax, keep), got = fast.reduce(op, x, ax, keep);
        Tensor abs = ref.reduce(Reduce.SUM, ref.unary(Unary.ABS, x), ax, keep);
        int len = x.dim(ax);
        double[] w = want.toDoubleArray(), a = abs.toDoubleArray(), tol = new double[w.length];
        for (int i = 0; i < w.length; i++)
            tol[i] = switch (op) {
                case SUM -> (len + 2) * u(dt) * a[i];
                case MEAN -> (len + 3) * u(dt) * a[i] / Math.max(1, len);
                case MAX -> 0;
                case LOGSUMEXP -> (len + 4) * u(dt) * Math.max(1, Math.abs(w[i]));
            };
        assertClose(want, got, tol, op + " axis " + ax + " keep=" + keep + " " + what + " " + dt);
    }

    @ParameterizedTest @EnumSource(DType.class)
    void sumToIsTheAdjointOfBroadcasting(DType dt) {
        var r = new SplittableRandom(6);
        Tensor g = rand(dt, r, -2, 2, 3, 4, 5);
        int[][] targets = {{4, 1}, {1, 5}, {5}, {3, 1, 1}, {}, {3, 4, 5}, {1, 4, 5}, {1}};
        for (int[] t : targets) {
            Tensor want = ref.sumTo(g, t), got = fast.sumTo(g, t);
            double[] tol = new double[want.size()];
            Arrays.fill(tol, (60 + 2) * u(dt) * 60 * 2);   // at most 60 terms of magnitude ≤ 2
            assertClose(want, got, tol, "sumTo " + Arrays.toString(t) + " " + dt);
        }
        assertSameError(() -> ref.sumTo(g, new int[] {2, 5}), () -> fast.sumTo(g, new int[] {2, 5}));
    }

    // ------------------------------------------------------------ matmul

    @ParameterizedTest @EnumSource(DType.class)
    void matmulAgreesForEveryTransposeAndEdgeSize(DType dt) {
        var r = new SplittableRandom(7);
        int[][] mkn = {{0, 3, 4}, {3, 0, 4}, {3, 4, 0}, {1, 1, 1}, {7, 8, 9}, {8, 9, 7}, {15, 17, 33}, {33, 100, 1}, {1, 257, 17},
                {100, 7, 257}, {257, 33, 100}, {17, 300, 15}, {19, 300, 270}};   // the last crosses the KC and NC blocks
        for (int[] s : mkn)
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                Tensor a = ta ? rand(dt, r, -1, 1, s[1], s[0]) : rand(dt, r, -1, 1, s[0], s[1]);
                Tensor b = tb ? rand(dt, r, -1, 1, s[2], s[1]) : rand(dt, r, -1, 1, s[1], s[2]);
                checkMatmul(dt, a, b, ta, tb, Arrays.toString(s) + " ta=" + ta + " tb=" + tb);
            }
        // sliced and transposed views, read in place
        Tensor big = rand(dt, r, -1, 1, 40, 50);
        checkMatmul(dt, big.slice(0, 3, 36).slice(1, 5, 22), big.slice(1, 2, 19).transpose(0, 1), false, false, "views");
        checkMatmul(dt, big.transpose(0, 1), big.transpose(0, 1).slice(1, 2, 33), true, false, "transposed view with transA");
    }

    /** |C − C_ref| ≤ (k + 2)·u·(|A||B|)_ij: Higham's dot-product bound plus both output roundings. */
    void checkMatmul(DType dt, Tensor a, Tensor b, boolean ta, boolean tb, String what) {
        Tensor want = ref.matmul(a, b, ta, tb), got = fast.matmul(a, b, ta, tb);
        Tensor mag = ref.matmul(ref.unary(Unary.ABS, a), ref.unary(Unary.ABS, b), ta, tb);
        int k = ta ? a.dim(0) : a.dim(1);
        double[] m = mag.toDoubleArray(), tol = new double[m.length];
        for (int i = 0; i < m.length; i++) tol[i] = (k + 2) * u(dt) * m[i];
        assertClose(want, got, tol, "matmul " + what + " " + dt);
    }

    // ------------------------------------------------------------ pairwise

    @ParameterizedTest @EnumSource(DType.class)
    void sqDistIsRelativelyAccurateAndZeroOnTheDiagonal(DType dt) {
        var r = new SplittableRandom(8);
        int[][] nmd = {{0, 3, 2}, {3, 0, 2}, {1, 1, 1}, {7, 9, 2}, {17, 15, 7}, {33, 100, 3}, {100, 33, 33}, {257, 8, 1}, {9, 17, 0}};
        for (int[] s : nmd) {
            Tensor x = rand(dt, r, -2, 2, s[0], s[2]), y = rand(dt, r, -2, 2, s[1], s[2]);
            checkSqDist(dt, x, y, Arrays.toString(s));
            checkSqDist(dt, strided(x), strided(y), Arrays.toString(s) + " strided");
        }
        // near-identical points far from the origin: the direct form keeps full relative accuracy
        Tensor x = ref.affine(rand(dt, r, -1, 1, 33, 5), 1e-3, 1000);
        checkSqDist(dt, x, x, "self, offset 1000");
        double[] d = fast.sqDist(x, x).toDoubleArray();
        for (int i = 0; i < 33; i++) assertEquals(0.0, d[i * 33 + i], "diagonal must be exactly 0");
    }

    /** Every term is ≥ 0, so the error is relative: (d + 3)·u·D (difference, square, sum, output). */
    void checkSqDist(DType dt, Tensor x, Tensor y, String what) {
        Tensor want = ref.sqDist(x, y);
        double[] w = want.toDoubleArray(), tol = new double[w.length];
        for (int i = 0; i < w.length; i++) tol[i] = (x.dim(1) + 3) * u(dt) * w[i];
        assertClose(want, fast.sqDist(x, y), tol, "sqDist " + what + " " + dt);
    }

    @ParameterizedTest @EnumSource(DType.class)
    void distContractAgreesWithoutTemporaries(DType dt) {
        var r = new SplittableRandom(9);
        int[][] nmd = {{0, 3, 2}, {3, 0, 2}, {1, 1, 1}, {7, 9, 2}, {17, 15, 7}, {33, 100, 3}, {100, 33, 17}, {257, 8, 1}};
        for (int[] s : nmd) {
            int n = s[0], m = s[1], d = s[2];
            Tensor w = rand(dt, r, -1, 1, n, m), x = rand(dt, r, -2, 2, n, d), y = ref.affine(rand(dt, r, -2, 2, m, d), 1, 5);
            Tensor[] want = ref.distContract(w, x, y), got = fast.distContract(strided(w), strided(x), y);
            // (M + N + 4)·u·Σ|w|(|x| + |y| + max|y|): two GEMM sums, a row/column sum, the shift by a mean of y.
            double[] xv = x.toDoubleArray(), yv = y.toDoubleArray(), wv = w.toDoubleArray();
            double ymax = 0;
            for (double v : yv) ymax = Math.max(ymax, Math.abs(v));
            double[] tx = new double[n * d], ty = new double[m * d];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++)
                    for (int k = 0; k < d; k++) {
                        double t = Math.abs(wv[i * m + j]) * (Math.abs(xv[i * d + k]) + Math.abs(yv[j * d + k]) + ymax);
                        tx[i * d + k] += t; ty[j * d + k] += t;
                    }
            double c = (m + n + 4) * u(dt);
            for (int i = 0; i < tx.length; i++) tx[i] *= c;
            for (int i = 0; i < ty.length; i++) ty[i] *= c;
            assertClose(want[0], got[0], tx, "distContract gx " + Arrays.toString(s) + " " + dt);
            assertClose(want[1], got[1], ty, "distContract gy " + Arrays.toString(s) + " " + dt);
        }
    }

    /** Every (N, M, d) over the edge sizes {0, 1, 7, 8, 9, 17, 33, 100}, thinned to keep N·M·d small. */
    static int[][] pairShapes() {
        int[] sz = {0, 1, 7, 8, 9, 17, 33, 100};
        java.util.List<int[]> l = new java.util.ArrayList<>();
        for (int n : sz) for (int m : sz) for (int d : sz)
            if ((long) n * m * d <= 40_000 && (n + 2 * m + 3 * d) % 3 == 0 || n * m * d == 0) l.add(new int[] {n, m, d});
        l.add(new int[] {100, 100, 9});
        l.add(new int[] {33, 100, 17});
        return l.toArray(int[][]::new);
    }

    @ParameterizedTest @EnumSource(DType.class)
    void l1DistIsRelativelyAccurateAndZeroOnTheDiagonal(DType dt) {
        var r = new SplittableRandom(31);
        for (int[] s : pairShapes()) {
            Tensor x = rand(dt, r, -2, 2, s[0], s[2]), y = rand(dt, r, -2, 2, s[1], s[2]);
            checkL1Dist(dt, x, y, Arrays.toString(s));
            checkL1Dist(dt, strided(x), strided(y), Arrays.toString(s) + " strided");
        }
        Tensor x = ref.affine(rand(dt, r, -1, 1, 33, 5), 1e-3, 1000);
        checkL1Dist(dt, x, x, "self, offset 1000");
        double[] d = fast.l1Dist(x, x).toDoubleArray();
        for (int i = 0; i < 33; i++) assertEquals(0.0, d[i * 33 + i], "diagonal must be exactly 0");
    }

    /** Every term is ≥ 0, so the error is relative: (d + 2)·u·D (difference, sum, output). */
    void checkL1Dist(DType dt, Tensor x, Tensor y, String what) {
        Tensor want = ref.l1Dist(x, y);
        double[] w = want.toDoubleArray(), tol = new double[w.length];
        for (int i = 0; i < w.length; i++) tol[i] = (x.dim(1) + 2) * u(dt) * w[i];
        assertClose(want, fast.l1Dist(x, y), tol, "l1Dist " + what + " " + dt);
    }

    @ParameterizedTest @EnumSource(DType.class)
    void l1DistContractAgreesWithoutTemporaries(DType dt) {
        var r = new SplittableRandom(32);
        for (int[] s : pairShapes()) {
            int n = s[0], m = s[1], d = s[2];
            Tensor w = rand(dt, r, -1, 1, n, m), x = rand(dt, r, -2, 2, n, d), y = rand(dt, r, -2, 2, m, d);
            checkL1Contract(dt, w, x, y, Arrays.toString(s));
            checkL1Contract(dt, strided(w), strided(x), strided(y), Arrays.toString(s) + " strided");
            // integer points: many exact ties x_nk = y_mk, where the sign (and the term) is 0
            Tensor xi = Tensor.of(dt, r.doubles((long) n * d, -2, 2).map(Math::floor).toArray(), n, d);
            Tensor yi = Tensor.of(dt, r.doubles((long) m * d, -2, 2).map(Math::floor).toArray(), m, d);
            checkL1Contract(dt, w, xi, yi, Arrays.toString(s) + " ties");
        }
    }

    /** The signs are exact, so the error is that of the sums: (M + 4)·u·Σ_m |w| for gx, (N + 4)·u·Σ_n |w| for gy. */
    void checkL1Contract(DType dt, Tensor w, Tensor x, Tensor y, String what) {
        int n = x.dim(0), m = y.dim(0), d = x.dim(1);
        Tensor[] want = ref.l1DistContract(w, x, y), got = fast.l1DistContract(w, x, y);
        double[] wv = w.toDoubleArray(), tx = new double[n * d], ty = new double[m * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                for (int k = 0; k < d; k++) {
                    tx[i * d + k] += (m + 4) * u(dt) * Math.abs(wv[i * m + j]);
                    ty[j * d + k] += (n + 4) * u(dt) * Math.abs(wv[i * m + j]);
                }
        assertClose(want[0], got[0], tx, "l1DistContract gx " + what + " " + dt);
        assertClose(want[1], got[1], ty, "l1DistContract gy " + what + " " + dt);
    }

    static final int[] KSD_SIZES = {0, 1, 7, 8, 9, 17, 33, 100, 257};
    static final int[] KSD_DIMS = {1, 2, 3, 22};

    /** Every (N, M) over the edge sizes, d and e cycling through 1/2/3/22, every kernel; views on every other case. */
    @ParameterizedTest @EnumSource(DType.class)
    void ksdQuadraticAndItsBackwardAgree(DType dt) {
        var r = new SplittableRandom(41);
        for (int i = 0; i < KSD_SIZES.length; i++)
            for (int j = 0; j < KSD_SIZES.length; j++) {
                int n = KSD_SIZES[i], m = KSD_SIZES[j], d = KSD_DIMS[(i + j) % 4], e = KSD_DIMS[(i + 2 * j + 1) % 4];
                for (StationaryKernel kern : StationaryKernel.values()) {
                    Tensor x = rand(dt, r, -2, 2, n, d), y = rand(dt, r, -2, 2, m, d), a = rand(dt, r, -1, 1, n, e), b = rand(dt, r, -1, 1, m, e);
                    boolean views = (i + j) % 2 == 0;
                    if (views) { x = strided(x); y = strided(y); a = strided(a); b = strided(b); }
                    checkKsd(kern, x, y, a, b, (i + j) % 3 == 0 ? 0.7 : 2.0, "[" + n + ", " + m + ", d " + d + ", e " + e + (views ? ", views]" : "]"));
                }
            }
        // the U-statistic's shape: x = y, a = b (zero distances on the diagonal)
        Tensor x = rand(dt, r, -2, 2, 33, 2), a = rand(dt, r, -1, 1, 33, 2);
        for (StationaryKernel kern : StationaryKernel.values()) checkKsd(kern, x, x, a, a, 0.5, "self");
        // d = e = 22 (the SIMD GEMM form): views, the U-statistic's shape, and points far from the origin
        Tensor xw = rand(dt, r, -2, 2, 40, 22), yw = rand(dt, r, -2, 2, 37, 22), aw = rand(dt, r, -1, 1, 40, 22), bw = rand(dt, r, -1, 1, 37, 22);
        Tensor xf = ref.affine(xw, 0.05, 3), yf = ref.affine(yw, 0.05, 3);
        for (StationaryKernel kern : StationaryKernel.values()) {
            checkKsd(kern, strided(xw), strided(yw), strided(aw), strided(bw), 1.5, "[40, 37, d 22, e 22, views]");
            checkKsd(kern, xw, xw, aw, aw, 1.5, "self, d 22");
            checkKsd(kern, xf, yf, aw, bw, 0.3, "far from 0, d 22");
        }
    }

    /** The value alone and with its gradient, within {@link KsdBounds} (4 ulps for the kernel, rows summed in double). */
    void checkKsd(StationaryKernel kern, Tensor x, Tensor y, Tensor a, Tensor b, double h, String what) {
        String tag = "ksd " + kern + " h=" + h + " " + what + " " + x.dtype();
        double[][] tol = KsdBounds.of(kern, x, y, a, b, h, 4, 0);
        Tensor want = ref.ksdQuadratic(kern, x, y, a, b, h);
        assertClose(want, fast.ksdQuadratic(kern, x, y, a, b, h), KsdBounds.plusUlp(tol[0], want), tag + " S");
        Tensor[] wb = ref.ksdQuadraticWithGradient(kern, x, y, a, b, h), gb = fast.ksdQuadraticWithGradient(kern, x, y, a, b, h);
        String[] names = {"S", "gx", "gy", "ga", "gb", "gh"};
        for (int o = 0; o < 6; o++) assertClose(wb[o], gb[o], KsdBounds.plusUlp(tol[o], wb[o]), tag + " " + names[o] + " (with gradient)");
    }

    @ParameterizedTest @EnumSource(DType.class)
    void kernelAndItsBackwardAgree(DType dt) {
        var r = new SplittableRandom(10);
        for (StationaryKernel kern : StationaryKernel.values())
            for (double h : new double[] {0.5, 2.0})
                for (int n : new int[] {0, 1, 7, 9, 17, 100}) {
                    Tensor x = rand(dt, r, -2, 2, n, 3), y = rand(dt, r, -2, 2, 9, 3);
                    Tensor d2 = ref.sqDist(x, y);
                    String what = kern + " h=" + h + " n=" + n + " " + dt;
                    Tensor want = ref.kernelFromSqDist(kern, d2, h), got = fast.kernelFromSqDist(kern, d2, h);
                    // RBF, Laplace: exp's 2 ulps (+2 for the product D·c) plus the rounded coefficient c = −1/(2h²)
                    // or −1/h, which moves the exponent by ≤ 2u·|exponent|.
                    double[] dv = d2.toDoubleArray(), kv = want.toDoubleArray(), tol = new double[kv.length];
                    for (int i = 0; i < kv.length; i++) {
                        double exponent = switch (kern) {
                            case RBF -> dv[i] / (2 * h * h);
                            case LAPLACE -> dv[i] / h;
                            case IMQ -> 0;
                        };
                        tol[i] = 4 * ulp(dt, kv[i]) + 3 * u(dt) * exponent * kv[i];
                    }
                    assertClose(want, got, tol, "kernel " + what);

                    Tensor gK = rand(dt, r, -1, 1, n, 9);
                    Tensor[] wb = ref.kernelFromSqDistBackward(kern, d2, want, h, gK), gb = fast.kernelFromSqDistBackward(kern, d2, want, h, gK);
                    assertUlps(wb[0], gb[0], 6, "kernel gD " + what);   // up to 5 roundings (g·k³·c)
                    double[] gv = gK.toDoubleArray();
                    double abs = 0;
                    for (int i = 0; i < kv.length; i++) abs += Math.abs(gv[i] * kern.dValueDBandwidth(dv[i], h, kv[i]));
                    assertClose(wb[1], gb[1], new double[] {(kv.length + 8) * u(dt) * abs + ulp(dt, wb[1].item())}, "kernel gh " + what);
                }
    }

    @ParameterizedTest @EnumSource(DType.class)
    void medianSelectsTheLowerMedian(DType dt) {
        var r = new SplittableRandom(11);
        for (int n : new int[] {1, 2, 7, 8, 9, 15, 17, 33, 100, 257, 1000}) {
            Tensor x = rand(dt, r, -3, 3, n);
            assertEquals(ref.median(x), fast.median(x), "median n=" + n + " " + dt);
            Tensor dup = Tensor.of(dt, r.doubles(n, 0, 4).map(Math::floor).toArray(), n);   // many ties
            assertEquals(ref.median(dup), fast.median(dup), "median with ties n=" + n + " " + dt);
        }
        for (int n : new int[] {8191, 8192, 20001, 250000}) {   // the sample-pivot and radix-select paths (F32 SIMD), with negatives, ±0, ties and NaNs
            double[] v = r.doubles(n, -3, 3).toArray();
            for (int i = 0; i < n; i += 7) v[i] = Math.floor(v[i]);
            for (int i = 3; i < n; i += 97) v[i] = -0.0;
            for (int i = 5; i < n; i += 131) v[i] = 0.0;
            for (int i = 11; i < n; i += 1009) v[i] = Double.NaN;
            Tensor x = Tensor.of(dt, v, n);
            assertEquals(ref.median(x), fast.median(x), "large median n=" + n + " " + dt);
            Tensor narrow = ref.affine(rand(dt, r, 0, 1, n), 1e-3, 1);   // one exponent: a single top-16-bit bucket holds many
            assertEquals(ref.median(narrow), fast.median(narrow), "narrow median n=" + n + " " + dt);
            // a quarter of the elements tie with the median: the bracket overflows and recurses
            Tensor ties = Tensor.of(dt, r.doubles(n, 0, 4).map(Math::floor).toArray(), n);
            assertEquals(ref.median(ties), fast.median(ties), "median with many ties n=" + n + " " + dt);
            double[] skew = r.doubles(n, 0, 1).map(u -> Math.pow(u, 40)).toArray();   // most mass near 0, long tail
            assertEquals(ref.median(Tensor.of(dt, skew, n)), fast.median(Tensor.of(dt, skew, n)), "skewed median n=" + n + " " + dt);
            double[] z = new double[n];
            z[n - 1] = 1;
            Tensor zeros = Tensor.of(dt, z, n);
            assertEquals(ref.median(zeros), fast.median(zeros), "median of zeros n=" + n + " " + dt);
        }
        Tensor sorted = Tensor.of(dt, java.util.stream.IntStream.range(0, 500).asDoubleStream().toArray(), 500);
        assertEquals(ref.median(sorted), fast.median(sorted), "median of sorted input");
        Tensor nan = Tensor.of(dt, new double[] {Double.NaN, 1, Double.NaN, Double.NaN}, 4);
        assertEquals(ref.median(nan), fast.median(nan), "median with NaNs sorted last");
        Tensor m = strided(rand(dt, r, -1, 1, 9, 8));
        assertEquals(ref.median(m), fast.median(m), "median of a strided view");
        assertThrows(IllegalArgumentException.class, () -> fast.median(Tensor.zeros(dt, 0)));
    }

    /**
     * pairwiseMedian is its composition on the same backend, bit for bit (median of the backend's own sqDist / l1Dist,
     * the first entry equal to it), and within the oracle's distances' error of the oracle's median: the lower median
     * moves by at most the largest entrywise change of the matrix. Shapes cover the skinny and GEMM distance paths, the
     * small-copy and sample-pivot selections, one row or column, d = 0, ties, a strided view, and a shrinking then
     * growing size (a reused buffer must not leak a previous call's entries).
     */
    @ParameterizedTest @EnumSource(DType.class)
    void pairwiseMedianIsTheMedianOfTheDistancesAndItsFirstEntry(DType dt) {
        var r = new SplittableRandom(23);
        int[][] shapes = {{500, 500, 2}, {17, 33, 2}, {100, 120, 22}, {1, 1, 1}, {1, 7, 3}, {9, 1, 2}, {40, 300, 9}, {4, 6, 0}, {300, 301, 5}};
        for (boolean l1 : new boolean[] {false, true})
            for (int[] sh : shapes) {
                String what = (l1 ? "l1" : "sq") + " " + sh[0] + "x" + sh[1] + " d=" + sh[2] + " " + dt;
                Tensor x = rand(dt, r, -2, 2, sh[0], sh[2]), y = rand(dt, r, -2, 2, sh[1], sh[2]);
                checkPairwiseMedian(x, y, l1, what);
                checkPairwiseMedian(x, x, l1, what + " x=y");
                // integer coordinates in a small range: most distances tie, so the first entry is the one that matters
                Tensor xi = Tensor.of(dt, r.doubles((long) sh[0] * sh[2], 0, 3).map(Math::floor).toArray(), sh[0], sh[2]);
                Tensor yi = Tensor.of(dt, r.doubles((long) sh[1] * sh[2], 0, 3).map(Math::floor).toArray(), sh[1], sh[2]);
                checkPairwiseMedian(xi, yi, l1, what + " ties");
            }
        checkPairwiseMedian(strided(rand(dt, r, -1, 1, 9, 8)), rand(dt, r, -1, 1, 5, 8), false, "strided x " + dt);
        Tensor nan = Tensor.of(dt, new double[] {Double.NaN, 1, Double.NaN, 2}, 2, 2);   // every distance NaN
        PairMedian pn = fast.pairwiseMedian(nan, nan, false);
        assertTrue(Double.isNaN(pn.value()) && pn.row() == -1 && pn.col() == -1, "NaN median has no entry: " + pn);
        assertThrows(IllegalArgumentException.class, () -> fast.pairwiseMedian(Tensor.zeros(dt, 0, 2), rand(dt, r, 0, 1, 3, 2), false));
        assertThrows(IllegalArgumentException.class, () -> fast.pairwiseMedian(rand(dt, r, 0, 1, 3, 2), rand(dt, r, 0, 1, 3, 4), false));
    }

    private void checkPairwiseMedian(Tensor x, Tensor y, boolean l1, String what) {
        PairMedian got = fast.pairwiseMedian(x, y, l1), want = ref.pairwiseMedian(x, y, l1);
        Tensor d = l1 ? fast.l1Dist(x, y) : fast.sqDist(x, y), dRef = l1 ? ref.l1Dist(x, y) : ref.sqDist(x, y);
        double med = fast.median(d);
        double[] dv = d.toDoubleArray(), rv = dRef.toDoubleArray();
        int first = 0;
        while (dv[first] != med) first++;
        assertEquals(med, got.value(), "pairwiseMedian value = median(D) on the same backend, " + what);
        assertEquals(first / d.dim(1), got.row(), "first entry's row, " + what);
        assertEquals(first % d.dim(1), got.col(), "first entry's column, " + what);
        double moved = 0;
        for (int i = 0; i < dv.length; i++) moved = Math.max(moved, Math.abs(dv[i] - rv[i]));
        assertEquals(want.value(), got.value(), moved, "against the oracle's median, " + what);
        assertEquals(want.value(), rv[want.row() * d.dim(1) + want.col()], "the oracle's entry holds its value, " + what);
    }

    // ------------------------------------------------------------ mixture

    @ParameterizedTest @EnumSource(DType.class)
    void lseMixtureAndBackwardAgree(DType dt) {
        var r = new SplittableRandom(12);
        int[][] nkd = {{0, 3, 2}, {1, 1, 1}, {7, 9, 2}, {17, 8, 7}, {33, 17, 3}, {9, 33, 9}, {100, 15, 1}, {8, 257, 2}};
        for (int[] s : nkd)
            for (boolean shared : new boolean[] {false, true}) {
                int n = s[0], kk = s[1], d = s[2];
                Tensor x = rand(dt, r, -3, 3, n, d), mu = rand(dt, r, -3, 3, kk, d), ls = rand(dt, r, -1, 0.5, shared ? 1 : kk, d);
                Tensor g = rand(dt, r, -1, 1, n);
                checkMixture(dt, strided(x), mu, ls, g, Arrays.toString(s) + (shared ? " shared" : ""));
            }
        // far-out points: component log-densities around −1e3, log-sum-exp must still be stable
        Tensor x = rand(dt, r, 20, 30, 5, 3), mu = rand(dt, r, -1, 1, 7, 3), ls = rand(dt, r, -1, 0, 7, 3);
        checkMixture(dt, x, mu, ls, rand(dt, r, -1, 1, 5), "far-out");
    }

    /**
     * ℓ_nk is a d-term sum of magnitude S = Σ_j (½z² + |log σ| + 1); the log-sum-exp over K adds
     * (K + 4)·u: forward |error| ≤ (d + K + 8)·u·(1 + S). The backward terms inherit that
     * relative error through the responsibilities and add N- or K-term sums:
     * |error| ≤ (N + K + d + 8)·u·(2 + S)·Σ|terms|.
     */
    void checkMixture(DType dt, Tensor x, Tensor mu, Tensor ls, Tensor g, String what) {
        int n = x.dim(0), kk = mu.dim(0), d = x.dim(1);
        double[] xv = x.toDoubleArray(), mv = mu.toDoubleArray(), sv = ls.toDoubleArray(), gv = g.toDoubleArray();
        boolean sh = ls.dim(0) == 1;
        double smax = 0;
        double[][] resp = new double[n][kk];
        for (int i = 0; i < n; i++) {
            double[] l = new double[kk];
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < kk; k++) {
                double sAbs = 0, sl = 0;
                for (int j = 0; j < d; j++) {
                    double lsj = sv[(sh ? 0 : k * d) + j], z = (xv[i * d + j] - mv[k * d + j]) * Math.exp(-lsj);
                    sAbs += 0.5 * z * z + Math.abs(lsj) + 1;
                    sl += -0.5 * z * z - lsj - 0.9189385332046727;
                }
                smax = Math.max(smax, sAbs);
                l[k] = sl; m = Math.max(m, sl);
            }
            double sum = 0;
            for (int k = 0; k < kk; k++) sum += Math.exp(l[k] - m);
            for (int k = 0; k < kk; k++) resp[i][k] = Math.exp(l[k] - m) / sum;
        }
        Tensor want = ref.lseMixture(x, mu, ls);
        double[] tol = new double[n];
        Arrays.fill(tol, (d + kk + 8) * u(dt) * (1 + smax));
        assertClose(want, fast.lseMixture(x, mu, ls), tol, "lseMixture " + what + " " + dt);

        Tensor[] wb = ref.lseMixtureBackward(x, mu, ls, g), gb = fast.lseMixtureBackward(x, mu, ls, g);
        double[] tx = new double[n * d], tm = new double[kk * d], ts = new double[sv.length];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < kk; k++)
                for (int j = 0; j < d; j++) {
                    int so = (sh ? 0 : k * d) + j;
                    double w = Math.abs(gv[i] * resp[i][k]), inv = Math.exp(-2 * sv[so]), diff = xv[i * d + j] - mv[k * d + j];
                    tx[i * d + j] += w * Math.abs(diff) * inv;
                    tm[k * d + j] += w * Math.abs(diff) * inv;
                    ts[so] += w * (diff * diff * inv + 1);
                }
        double c = (n + kk + d + 8) * u(dt) * (2 + smax);
        for (double[] t : new double[][] {tx, tm, ts}) for (int i = 0; i < t.length; i++) t[i] *= c;
        assertClose(wb[0], gb[0], tx, "lseMixture gx " + what + " " + dt);
        assertClose(wb[1], gb[1], tm, "lseMixture gmu " + what + " " + dt);
        assertClose(wb[2], gb[2], ts, "lseMixture glogSigma " + what + " " + dt);
    }

    // ------------------------------------------------------------ dense

    @ParameterizedTest @EnumSource(DType.class)
    void denseAndBackwardAgreeForEveryActivation(DType dt) {
        var r = new SplittableRandom(13);
        int[][] nio = {{0, 3, 4}, {1, 1, 1}, {7, 8, 9}, {33, 17, 8}, {100, 7, 33}, {17, 33, 1}, {9, 0, 5}};
        for (Activation act : Activation.values())
            for (int[] s : nio) {
                int n = s[0], in = s[1], o = s[2];
                Tensor x = rand(dt, r, -2, 2, n, in), w = rand(dt, r, -1, 1, in, o);
                Tensor b = (o % 2 == 0) ? rand(dt, r, -1, 1, o) : rand(dt, r, -1, 1, 1, o);
                checkDense(dt, act, strided(x), w, b, Arrays.toString(s));
            }
        // saturating pre-activations (±1e4 scale)
        Tensor x = rand(dt, r, -1, 1, 9, 3), w = rand(dt, r, -1e4, 1e4, 3, 17), b = rand(dt, r, -1, 1, 17);
        for (Activation act : Activation.values()) checkDense(dt, act, x, w, b, "saturated");
    }

    /**
     * pre is an (I + 1)-term sum: |error| ≤ (I + 3)·u·(|b| + Σ|x||W|); every activation is 1.1-Lipschitz
     * and adds its own 8 ulps. Backward: gp has a few roundings of relative error on top of the
     * upstream gradient; gx, gW, gb are O-, N-, N-term sums: (len + 8)·u·Σ|terms|.
     */
    void checkDense(DType dt, Activation act, Tensor x, Tensor w, Tensor b, String what) {
        int n = x.dim(0), in = x.dim(1), o = w.dim(1);
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), bv = b.toDoubleArray();
        double[] mag = new double[n * o], pre = new double[n * o];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < o; j++) {
                double s = Math.abs(bv[j]), p = bv[j];
                for (int k = 0; k < in; k++) { s += Math.abs(xv[i * in + k] * wv[k * o + j]); p += xv[i * in + k] * wv[k * o + j]; }
                mag[i * o + j] = s; pre[i * o + j] = p;
            }
        Tensor want = ref.dense(act, x, w, b);
        double[] yv = want.toDoubleArray(), tol = new double[n * o];
        for (int i = 0; i < tol.length; i++) tol[i] = 1.1 * (in + 3) * u(dt) * mag[i] + 8 * ulp(dt, yv[i]);
        assertClose(want, fast.dense(act, x, w, b), tol, "dense " + act + " " + what + " " + dt);

        // gy a view at a non-zero offset: the fast paths read it in place
        Tensor gy = rand(new SplittableRandom(14), dt, n + 1, o).slice(0, 1, n + 1);
        Tensor[] wb = ref.denseBackward(act, x, w, b, want, gy), gb = fast.denseBackward(act, x, w, b, want, gy);
        // |gp| and the error of gp: 8 roundings of the upstream gradient, plus for silu (the one
        // activation whose derivative is recomputed from pre) |g|·½·(pre error), silu'' being ≤ ½.
        double[] gv = gy.toDoubleArray(), gp = new double[n * o], ge = new double[n * o];
        for (int i = 0; i < gp.length; i++) {
            gp[i] = Math.abs(gv[i] * act.derivative(pre[i], yv[i]));
            ge[i] = Math.abs(gv[i]) * (8 * u(dt) + (act == Activation.SILU ? 0.5 * (in + 3) * u(dt) * mag[i] : 0));
        }
        double[] tx = new double[n * in], tw = new double[in * o], tb = new double[o];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < o; j++) {
                int ij = i * o + j;
                tb[j] += (n + 8) * u(dt) * gp[ij] + ge[ij];
                for (int k = 0; k < in; k++) {
                    tx[i * in + k] += ((o + 8) * u(dt) * gp[ij] + ge[ij]) * Math.abs(wv[k * o + j]);
                    tw[k * o + j] += Math.abs(xv[i * in + k]) * ((n + 8) * u(dt) * gp[ij] + ge[ij]);
                }
            }
        assertClose(wb[0], gb[0], tx, "denseBackward gx " + act + " " + what + " " + dt);
        assertClose(wb[1], gb[1], tw, "denseBackward gW " + act + " " + what + " " + dt);
        assertClose(wb[2], gb[2], tb, "denseBackward gb " + act + " " + what + " " + dt);
        // the partial backward: exactly the full one's outputs where asked, null elsewhere
        Tensor[] onlyX = fast.denseBackward(act, x, w, b, want, gy, true, false), onlyP = fast.denseBackward(act, x, w, b, want, gy, false, true);
        assertArrayEquals(gb[0].toDoubleArray(), onlyX[0].toDoubleArray(), "denseBackward gx alone " + act + " " + what + " " + dt);
        assertArrayEquals(gb[1].toDoubleArray(), onlyP[1].toDoubleArray(), "denseBackward gW alone " + act + " " + what + " " + dt);
        assertArrayEquals(gb[2].toDoubleArray(), onlyP[2].toDoubleArray(), "denseBackward gb alone " + act + " " + what + " " + dt);
        assertNull(onlyX[1]); assertNull(onlyX[2]); assertNull(onlyP[0]);
    }

    static Tensor rand(SplittableRandom r, DType dt, int... shape) { return rand(dt, r, -1, 1, shape); }

    @ParameterizedTest @EnumSource(DType.class)
    void fusedOpsRejectBadShapesWithTheReferenceMessage(DType dt) {
        Tensor a = Tensor.zeros(dt, 3, 2), b = Tensor.zeros(dt, 4, 3);
        assertSameError(() -> ref.sqDist(a, b), () -> fast.sqDist(a, b));
        assertSameError(() -> ref.l1Dist(a, b), () -> fast.l1Dist(a, b));
        assertSameError(() -> ref.l1DistContract(Tensor.zeros(dt, 2, 3), a, a), () -> fast.l1DistContract(Tensor.zeros(dt, 2, 3), a, a));
        assertSameError(() -> ref.matmul(a, a, false, false), () -> fast.matmul(a, a, false, false));
        assertSameError(() -> ref.dense(Activation.RELU, a, b, Tensor.zeros(dt, 3)), () -> fast.dense(Activation.RELU, a, b, Tensor.zeros(dt, 3)));
        assertSameError(() -> ref.lseMixture(a, b, b), () -> fast.lseMixture(a, b, b));
        assertSameError(() -> ref.ksdQuadratic(StationaryKernel.RBF, a, a, a, b, 1), () -> fast.ksdQuadratic(StationaryKernel.RBF, a, a, a, b, 1));
        assertSameError(() -> ref.ksdQuadraticWithGradient(StationaryKernel.IMQ, a, b, a, a, 1), () -> fast.ksdQuadraticWithGradient(StationaryKernel.IMQ, a, b, a, a, 1));
    }

    static void assertSameError(org.junit.jupiter.api.function.Executable want, org.junit.jupiter.api.function.Executable got) {
        var e1 = assertThrows(IllegalArgumentException.class, want);
        var e2 = assertThrows(IllegalArgumentException.class, got);
        assertEquals(e1.getMessage(), e2.getMessage());
    }
}
