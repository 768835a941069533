package sivi.autodiff;

import java.util.function.Function;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Finite-difference checks of reverse-mode gradients and Hessian-vector products, in float64.
 * In the library (not only in tests) so that every module's tests, and users writing their own
 * targets or ops, check gradients the same way; a failed check throws {@link AssertionError}.
 *
 * <p>First order: for random directions v (one per input), ⟨∇f, v⟩ is compared with the central
 * difference (f(x+hv) − f(x−hv)) / 2h. Its error is the truncation h²·|f'''|/6 plus the roundoff
 * ~ε·|f|/h of subtracting two nearby values. With h = 1e-5 and ε = 2.2e-16 the truncation is
 * ~1e-10·|f'''| and the roundoff ~2e-11·|f|: we accept
 * |auto − fd| ≤ RTOL·max(|auto|, |fd|) + ROUNDOFF·ε·(|f(x+hv)| + |f(x−hv)|)/2h with RTOL = 1e-6
 * (four decades above the truncation for O(1) third derivatives) and ROUNDOFF = 1e3 (room for
 * the roundoff of the sums inside f, which grows with the number of terms).
 *
 * <p>Second order: H·v from {@link Autodiff#hvp} is compared with the central difference of the
 * gradient (∇f(x+hv) − ∇f(x−hv)) / 2h, normwise, with the same reasoning applied to ∇f.
 */
public final class GradCheck {
    private GradCheck() {}

    public static final double H = 1e-5;
    public static final double RTOL = 1e-6;
    private static final double EPS = Math.ulp(1.0);
    private static final double ROUNDOFF = 1e3;
    public static final int DIRECTIONS = 3;

    /** Checks ⟨∇f, v⟩ against central differences along {@link #DIRECTIONS} random directions. */
    public static void check(String what, Function<Var[], Var> f, Tensor... inputs) {
        check(what, f, 1234, DIRECTIONS, inputs);
    }

    public static void check(String what, Function<Var[], Var> f, long seed, int directions, Tensor... inputs) {
        for (Tensor t : inputs) if (t.dtype() != DType.F64) throw new IllegalArgumentException("GradCheck runs in F64, got " + t.dtype());
        Rng rng = new Rng(seed);
        Var[] leaves = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) leaves[i] = Var.leaf(inputs[i]);
        Var y = f.apply(leaves);
        if (y.size() != 1) throw new IllegalArgumentException(what + ": f must be scalar, got shape " + java.util.Arrays.toString(y.shape()));
        if (!Double.isFinite(y.item())) fail(what + ": f(x) = " + y.item());
        Var[] g = Autodiff.grad(y, leaves, null, false);
        for (int i = 0; i < g.length; i++) assertShape(what + ": gradient " + i, inputs[i].shape(), g[i].shape());
        for (int dir = 0; dir < directions; dir++) {
            Tensor[] v = new Tensor[inputs.length];
            double auto = 0;
            for (int i = 0; i < inputs.length; i++) {
                v[i] = rng.normal(DType.F64, inputs[i].shape());
                auto += dot(g[i].value(), v[i]);
            }
            double fp = eval(f, inputs, v, H), fm = eval(f, inputs, v, -H);
            double fd = (fp - fm) / (2 * H);
            double tol = RTOL * Math.max(Math.abs(auto), Math.abs(fd)) + ROUNDOFF * EPS * (Math.abs(fp) + Math.abs(fm)) / (2 * H);
            if (!(Math.abs(auto - fd) <= tol))
                fail(what + ": direction " + dir + ": autodiff <grad f, v> = " + auto + ", central difference = " + fd + " (|diff| " + Math.abs(auto - fd) + " > tol " + tol + ")");
        }
    }

    /**
     * Gradient check of an op with a tensor output: f(x) = Σ w ⊙ op(x) with fixed random weights
     * w, so every output element is weighted differently and no cancellation hides an error.
     */
    public static void checkOp(String what, Function<Var[], Var> op, Tensor... inputs) {
        Var probe = GradMode.noGrad(() -> op.apply(constants(inputs)));
        Tensor w = new Rng(99).normal(DType.F64, probe.shape());
        check(what, xs -> Ops.sum(Ops.mul(op.apply(xs), Var.constant(w))), inputs);
    }

    /** Checks Autodiff.hvp(f, x, v) against central differences of the gradient for random v. */
    public static void checkHvp(String what, Function<Var, Var> f, Tensor x, long seed, int directions) {
        Rng rng = new Rng(seed);
        for (int dir = 0; dir < directions; dir++) {
            Tensor v = rng.normal(DType.F64, x.shape());
            double[] hv = Autodiff.hvp(f, x, v).toDoubleArray();
            double[] fd = fdHvp(f, x, v);
            double gradScale = 0;
            for (double gi : Autodiff.grad(f, x).toDoubleArray()) gradScale = Math.max(gradScale, Math.abs(gi));
            // roundoff of the gradient difference: ~ε·|∇f|/h per entry, with the same margin as above
            assertVecClose(what + ": direction " + dir + ": H·v vs central difference of the gradient", fd, hv, RTOL, ROUNDOFF * EPS * gradScale / H);
        }
    }

    /** Checks Autodiff.hvp(f, x, v) against a known Hessian (row-major over the flattened x) for random v. */
    public static void checkHvpKnown(String what, Function<Var, Var> f, Tensor x, double[][] hessian, double rtol, long seed, int directions) {
        Rng rng = new Rng(seed);
        for (int dir = 0; dir < directions; dir++) {
            Tensor v = rng.normal(DType.F64, x.shape());
            double[] vv = v.toDoubleArray(), want = new double[hessian.length];
            for (int i = 0; i < want.length; i++) for (int j = 0; j < vv.length; j++) want[i] += hessian[i][j] * vv[j];
            assertVecClose(what + ": direction " + dir + ": H·v vs the known Hessian", want, Autodiff.hvp(f, x, v).toDoubleArray(), rtol, 0);
        }
    }

    /** (∇f(x+hv) − ∇f(x−hv)) / 2h. */
    public static double[] fdHvp(Function<Var, Var> f, Tensor x, Tensor v) {
        double[] gp = Autodiff.grad(f, axpy(x, v, H)).toDoubleArray();
        double[] gm = Autodiff.grad(f, axpy(x, v, -H)).toDoubleArray();
        double[] out = new double[gp.length];
        for (int i = 0; i < out.length; i++) out[i] = (gp[i] - gm[i]) / (2 * H);
        return out;
    }

    /** ‖got − want‖∞ ≤ rtol·‖want‖∞ + atol. */
    public static void assertVecClose(String what, double[] want, double[] got, double rtol, double atol) {
        if (want.length != got.length) fail(what + ": length " + got.length + ", expected " + want.length);
        double scale = 0, err = 0;
        int worst = -1;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            double e = Math.abs(want[i] - got[i]);
            if (!(e <= err)) { err = e; worst = i; }
        }
        if (!(err <= rtol * scale + atol))
            fail(what + ": max |diff| " + err + " at " + worst + " (want " + want[worst] + ", got " + got[worst] + "), allowed " + (rtol * scale + atol));
    }

    public static void assertClose(String what, Tensor want, Tensor got, double rtol, double atol) {
        assertShape(what, want.shape(), got.shape());
        assertVecClose(what, want.toDoubleArray(), got.toDoubleArray(), rtol, atol);
    }

    public static void assertShape(String what, int[] want, int[] got) {
        if (!java.util.Arrays.equals(want, got)) fail(what + ": shape " + java.util.Arrays.toString(got) + ", expected " + java.util.Arrays.toString(want));
    }

    private static void fail(String message) { throw new AssertionError(message); }

    public static Var[] constants(Tensor... ts) {
        Var[] vs = new Var[ts.length];
        for (int i = 0; i < ts.length; i++) vs[i] = Var.constant(ts[i]);
        return vs;
    }

    private static double eval(Function<Var[], Var> f, Tensor[] x, Tensor[] v, double h) {
        Tensor[] shifted = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) shifted[i] = axpy(x[i], v[i], h);
        return GradMode.noGrad(() -> f.apply(constants(shifted)).item());
    }

    /** x + h·v. */
    public static Tensor axpy(Tensor x, Tensor v, double h) {
        double[] a = x.toDoubleArray(), b = v.toDoubleArray();
        for (int i = 0; i < a.length; i++) a[i] += h * b[i];
        return Tensor.of(x.dtype(), a, x.shape());
    }

    public static double dot(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }
}
