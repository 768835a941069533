package sivi.posteriordb;

import sivi.autodiff.Var;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * The Stan functions the ports need, as composites of autodiff ops (so they have gradients of
 * gradients for free), elementwise with broadcasting; each lpdf keeps its normalising constant.
 * Candidates for promotion to kernel ops: {@link #normalLpdf} (fused, it dominates the regressions),
 * {@link #cholesky} and the ODE step {@link #rk4}.
 */
public final class StanMath {
    private StanMath() {}

    static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    static Var num(Var like, double v) { return constant(Tensor.scalar(like.dtype(), v)); }

    /** log N(y | mu, sigma) = −½((y − mu)/sigma)² − log sigma − ½ log 2π. */
    public static Var normalLpdf(Var y, Var mu, Var sigma) {
        return addScalar(sub(scale(square(div(sub(y, mu), sigma)), -0.5), log(sigma)), -HALF_LOG_2PI);
    }

    /** log N(y | mu, sigma) for a constant sigma. */
    public static Var normalLpdf(Var y, Var mu, double sigma) {
        return addScalar(scale(square(sub(y, mu)), -0.5 / (sigma * sigma)), -Math.log(sigma) - HALF_LOG_2PI);
    }

    /** log N(y | mu, sigma) for constant mu and sigma (a prior). */
    public static Var normalLpdf(Var y, double mu, double sigma) {
        return addScalar(scale(square(addScalar(y, -mu)), -0.5 / (sigma * sigma)), -Math.log(sigma) - HALF_LOG_2PI);
    }

    /** log Cauchy(y | mu, sigma) = −log(π sigma) − log1p(((y − mu)/sigma)²), constant mu, sigma. */
    public static Var cauchyLpdf(Var y, double mu, double sigma) {
        return addScalar(neg(log1p(square(scale(addScalar(y, -mu), 1 / sigma)))), -Math.log(Math.PI * sigma));
    }

    /**
     * log Student-t(y | nu, mu, sigma) = lgamma((nu+1)/2) − lgamma(nu/2) − ½ log(nu π) − log sigma
     * − (nu+1)/2 · log1p(((y − mu)/sigma)²/nu), constant nu, mu, sigma.
     */
    public static Var studentTLpdf(Var y, double nu, double mu, double sigma) {
        double c = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(sigma);
        return addScalar(scale(log1p(scale(square(addScalar(y, -mu)), 1 / (nu * sigma * sigma))), -(nu + 1) / 2), c);
    }

    /** log Lognormal(y | mu, sigma) = log N(log y | mu, sigma) − log y. */
    public static Var lognormalLpdf(Var y, Var mu, Var sigma) { return sub(normalLpdf(log(y), mu, sigma), log(y)); }

    /** log Exponential(y | beta) = log beta − beta·y. */
    public static Var exponentialLpdf(Var y, Var beta) { return sub(log(beta), mul(beta, y)); }

    /** log Gamma(y | a, b) (shape a, rate b constants) = a log b − lgamma(a) + (a − 1) log y − b y. */
    public static Var gammaLpdf(Var y, double a, double b) {
        return addScalar(sub(scale(log(y), a - 1), scale(y, b)), a * Math.log(b) - lgamma(a));
    }

    /** log Beta(y | a, b) (constants) = (a − 1) log y + (b − 1) log(1 − y) − log B(a, b). */
    public static Var betaLpdf(Var y, double a, double b) {
        return addScalar(add(scale(log(y), a - 1), scale(log1p(neg(y)), b - 1)), lgamma(a + b) - lgamma(a) - lgamma(b));
    }

    /**
     * log Γ(x) for x > 0 (data and constants only): shifted up to x ≥ 10 by Γ(x+1) = xΓ(x), then
     * Stirling's series with the Bernoulli terms B_2..B_10 (Abramowitz &amp; Stegun 6.1.40), whose
     * truncation error at x ≥ 10 is below 1e-16 relative.
     */
    public static double lgamma(double x) {
        if (!(x > 0)) throw new IllegalArgumentException("lgamma: argument must be > 0, got " + x);
        double shift = 0;
        while (x < 10) { shift -= Math.log(x); x += 1; }
        double z = 1 / (x * x);
        double series = (1.0 / 12 + z * (-1.0 / 360 + z * (1.0 / 1260 + z * (-1.0 / 1680 + z * (1.0 / 1188))))) / x;
        return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series;
    }

    /**
     * log(exp(a) + exp(b)) elementwise = m + log(exp(a − m) + exp(b − m)) for any m; m = max(a, b)
     * taken as a constant (the identity holds for every m, so its derivatives are exact at every
     * order) keeps it stable with a tape of plain elementwise ops (the forward recursions call it
     * once per state and step). Both −∞ gives NaN; the ports never have an impossible state.
     */
    public static Var logSumExp2(Var a, Var b) {
        Var m = constant(sivi.kernels.Kernels.current().binary(sivi.kernels.Binary.MAX, a.value(), b.value()));
        return add(log(add(exp(sub(a, m)), exp(sub(b, m)))), m);
    }

    /** log Σ exp over an axis (dropped), with the same constant max shift as {@link #logSumExp2}. */
    public static Var logSumExpShifted(Var x, int axis) {
        Var m = constant(sivi.kernels.Kernels.current().reduce(sivi.kernels.Reduce.MAX, x.value(), axis, true));
        return add(reshape(log(sum(exp(sub(x, m)), axis, true)), dropAxis(x.shape(), axis)), reshape(m, dropAxis(x.shape(), axis)));
    }

    private static int[] dropAxis(int[] s, int ax) {
        int[] r = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != ax) r[j++] = s[i];
        return r;
    }

    /**
     * Stan's gp_exp_quad_cov(x, alpha, rho) + diag on the lower triangle, entrywise N-vectors:
     * K_ij = alpha² exp(−(x_i − x_j)²/(2 rho²)) (+ diag on i = j).
     */
    public static Var[][] expQuadCov(double[] x, Var alpha, Var rho, Var diag) {
        int n = x.length;
        Var a2 = square(alpha), inv2rho2 = reciprocal(scale(square(rho), 2));
        Var[][] k = new Var[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                k[i][j] = i == j ? add(a2, diag) : mul(a2, exp(scale(inv2rho2, -(x[i] - x[j]) * (x[i] - x[j]))));
        return k;
    }

    /**
     * Lower Cholesky factor of a batch of symmetric positive definite matrices given entrywise
     * (a[i][j], each an N-vector, i ≥ j read), by the Cholesky–Banachiewicz recursion in ops: the
     * factor comes back as l[i][j] (N-vectors, i ≥ j). Not positive definite → NaN on the diagonal,
     * which the log density turns into −∞/NaN and the samplers reject.
     */
    public static Var[][] cholesky(Var[][] a) {
        int n = a.length;
        Var[][] l = new Var[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                Var s = a[i][j];
                for (int k = 0; k < j; k++) s = sub(s, mul(l[i][k], l[j][k]));
                l[i][j] = i == j ? sqrt(s) : div(s, l[j][j]);
            }
        return l;
    }

    /** Solves L z = b by forward substitution (L lower triangular, entrywise N-vectors). */
    public static Var[] forwardSolve(Var[][] l, Var[] b) {
        int n = b.length;
        Var[] z = new Var[n];
        for (int i = 0; i < n; i++) {
            Var s = b[i];
            for (int k = 0; k < i; k++) s = sub(s, mul(l[i][k], z[k]));
            z[i] = div(s, l[i][i]);
        }
        return z;
    }

    /**
     * log MultiNormal(y | 0, L Lᵀ) from the Cholesky factor: −½|L⁻¹y|² − Σ log L_ii − (n/2) log 2π.
     */
    public static Var multiNormalCholeskyLpdf(Var[] y, Var[][] l) {
        int n = y.length;
        Var[] z = forwardSolve(l, y);
        Var q = null;
        for (int i = 0; i < n; i++) {
            Var t = add(scale(square(z[i]), -0.5), neg(log(l[i][i])));
            q = q == null ? t : add(q, t);
        }
        return addScalar(q, -n * HALF_LOG_2PI);
    }

    /**
     * One classical Runge–Kutta step (RK4) of dy/dt = f(t, y), the state as components (each an
     * N-vector, batched): y + h/6 (k1 + 2k2 + 2k3 + k4). Differentiable through the step, as a composite.
     */
    public static Var[] rk4(Var[] y, double t, double h, Rhs f) {
        Var[] k1 = f.apply(t, y);
        Var[] k2 = f.apply(t + h / 2, axpy(h / 2, k1, y));
        Var[] k3 = f.apply(t + h / 2, axpy(h / 2, k2, y));
        Var[] k4 = f.apply(t + h, axpy(h, k3, y));
        Var[] out = new Var[y.length];
        for (int i = 0; i < y.length; i++) out[i] = add(y[i], scale(add(add(k1[i], k4[i]), scale(add(k2[i], k3[i]), 2)), h / 6));
        return out;
    }

    private static Var[] axpy(double a, Var[] x, Var[] y) {
        Var[] r = new Var[y.length];
        for (int i = 0; i < y.length; i++) r[i] = add(y[i], scale(x[i], a));
        return r;
    }

    /** The right-hand side of an ODE, batched: (t, state components) → their derivatives. */
    @FunctionalInterface
    public interface Rhs { Var[] apply(double t, Var[] y); }

    /**
     * The ODE solution at times ts (increasing, > t0) by RK4 steps that land on the outputs: each
     * step is at most hMax and at most 1/ρ, ρ the largest |f_i(y)/y_i| over the batch at the step's
     * start (a local rate; RK4 is stable for hρ up to ~2.8), the last step of an interval cut to
     * land on its output time. Step sizes are read from values, not differentiated: like Stan's
     * adaptive solvers, the result is smooth between changes of the step sequence and jumps there
     * by the (small) discretization error. It keeps far-out draws (fast dynamics) from overflowing.
     */
    public static Var[][] integrate(Rhs f, Var[] y0, double t0, double[] ts, double hMax) {
        Var[][] out = new Var[ts.length][];
        Var[] y = y0;
        double t = t0;
        for (int i = 0; i < ts.length; i++) {
            double tEnd = ts[i], hBase = baseStep(t0, t, tEnd, hMax);
            for (int s = 0; s < MAX_STEPS && t < tEnd; s++) {
                double h = step(rate(f, t, y), hBase, t, tEnd);
                y = rk4(y, t, h, f);
                t += h;
            }
            t = tEnd;
            out[i] = y;
        }
        return out;
    }

    /**
     * The equal step of the output interval (t, tEnd]: hMax or less, a whole number of them, so that slow dynamics
     * match a fixed-step RK4 exactly. The output times must increase from t0.
     */
    static double baseStep(double t0, double t, double tEnd, double hMax) {
        if (!(tEnd > t)) throw new IllegalArgumentException("ODE output times must increase from t0 = " + t0 + ", got " + tEnd + " after " + t);
        int base = (int) Math.ceil((tEnd - t) / hMax);
        return (tEnd - t) / base;
    }

    /** integrate's step from t: hBase, or 1/rate where that is shorter, the last one cut to land on tEnd. */
    static double step(double rate, double hBase, double t, double tEnd) {
        double h = rate > 0 && Double.isFinite(rate) ? Math.min(hBase, 1 / rate) : hBase;
        return t + h > tEnd - 1e-12 * (1 + Math.abs(tEnd)) ? tEnd - t : h;
    }

    /** Steps per output interval at most (a runaway state then overflows and the draw is rejected). */
    static final int MAX_STEPS = 10_000;

    /** max |f_i(y)/y_i| over components and the batch, on values (no tape); 0 where y_i = 0. */
    private static double rate(Rhs f, double t, Var[] y) {
        Var[] k = sivi.autodiff.GradMode.noGrad(() -> {
            Var[] c = new Var[y.length];
            for (int i = 0; i < y.length; i++) c[i] = constant(y[i].value());
            return f.apply(t, c);
        });
        double r = 0;
        for (int i = 0; i < y.length; i++) {
            double[] a = k[i].value().toDoubleArray(), b = y[i].value().toDoubleArray();
            for (int n = 0; n < a.length; n++) if (b[n] != 0) r = Math.max(r, Math.abs(a[n] / b[n]));
        }
        return r;
    }
}
