package sivi.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * L-BFGS minimisation of a smooth f: R^d → R in float64 (Nocedal &amp; Wright, Numerical Optimization,
 * 2nd ed. 2006: Alg. 7.4 two-loop recursion with history m and H₀ = γI, γ = sᵀy / yᵀy of the newest pair,
 * eq. 7.20; line search Alg. 3.5 with zoom Alg. 3.6 and cubic interpolation eq. 3.59, so every accepted
 * step satisfies the strong Wolfe conditions
 * <pre>  f(x + αp) ≤ f(x) + c₁ α ∇fᵀp,   |∇f(x + αp)ᵀp| ≤ c₂ |∇fᵀp|. </pre>
 * A trial point where f or ∇f is not finite counts as failing the sufficient-decrease test (the step
 * shrinks). Stops when ‖∇f‖_∞ ≤ gradTol, when the relative decrease of f falls below relTol, after
 * maxIterations, or when the line search finds no acceptable step (then the best point so far).
 * With {@code secantStep}, an accepted step α is followed by one trial at the zero of the secant of φ'
 * through (0, φ'(0)) and (α, φ'(α)) — the exact line minimiser when f is quadratic — taken when it too is a
 * strong-Wolfe step with lower f: on a quadratic the steps become exact, hence A-conjugate (what Pathfinder
 * needs to be exact on a Gaussian), at one more evaluation per iteration.
 * Every iterate (x, f, ∇f) is kept in {@link Result#path()}: Pathfinder reads its Gaussians from it.
 */
public final class Lbfgs {
    private Lbfgs() {}

    /** f(x), writing ∇f(x) into grad. */
    public interface Objective { double evaluate(double[] x, double[] grad); }

    /**
     * @param history       m, the (s, y) pairs kept
     * @param maxIterations accepted steps at most
     * @param gradTol       stop when max_i |∂f/∂x_i| ≤ gradTol
     * @param relTol        stop when |f_{k−1} − f_k| ≤ relTol · max(|f_k|, |f_{k−1}|, 1)
     * @param c1            sufficient-decrease constant (N&amp;W: 1e-4)
     * @param c2            curvature constant (N&amp;W: 0.9 for quasi-Newton)
     * @param maxLineSearch evaluations per line search at most
     * @param secantStep    refine every accepted step by one secant step on φ' (exact line search on quadratics)
     */
    public record Config(int history, int maxIterations, double gradTol, double relTol, double c1, double c2, int maxLineSearch, boolean secantStep) {
        public Config {
            if (history < 1) throw new IllegalArgumentException("L-BFGS history must be >= 1, got " + history);
            if (maxIterations < 0) throw new IllegalArgumentException("L-BFGS max iterations must be >= 0, got " + maxIterations);
            if (!(0 < c1 && c1 < c2 && c2 < 1)) throw new IllegalArgumentException("need 0 < c1 < c2 < 1, got c1=" + c1 + ", c2=" + c2);
        }

        /** m = 6 (Pathfinder's default history), 1000 iterations, gradTol 1e-8, relTol 1e-13, c₁ = 1e-4, c₂ = 0.9. */
        public static Config defaults() { return new Config(6, 1000, 1e-8, 1e-13, 1e-4, 0.9, 40, false); }

        public Config withHistory(int m) { return new Config(m, maxIterations, gradTol, relTol, c1, c2, maxLineSearch, secantStep); }

        public Config withMaxIterations(int n) { return new Config(history, n, gradTol, relTol, c1, c2, maxLineSearch, secantStep); }

        public Config withTolerances(double grad, double rel) { return new Config(history, maxIterations, grad, rel, c1, c2, maxLineSearch, secantStep); }

        public Config withSecantStep(boolean on) { return new Config(history, maxIterations, gradTol, relTol, c1, c2, maxLineSearch, on); }
    }

    /** One iterate: the point, its value and gradient. */
    public record Iterate(double[] x, double f, double[] grad) {}

    /**
     * @param path        x₀ and every accepted iterate, in order (the last is the result)
     * @param evaluations calls of the objective (each gives f and ∇f)
     * @param reason      why it stopped: "gradient", "relative decrease", "max iterations", "line search"
     */
    public record Result(List<Iterate> path, int evaluations, String reason) {
        public Iterate last() { return path.get(path.size() - 1); }

        public int iterations() { return path.size() - 1; }
    }

    public static Result minimize(Objective f, double[] x0, Config cfg) {
        int d = x0.length;
        Counter obj = new Counter(f);
        double[] x = x0.clone(), g = new double[d];
        double fx = obj.eval(x, g);
        if (!Double.isFinite(fx) || !allFinite(g))
            throw new IllegalArgumentException("L-BFGS: the objective or its gradient is not finite at the initial point (f = " + fx + ")");
        List<Iterate> path = new ArrayList<>();
        path.add(new Iterate(x.clone(), fx, g.clone()));
        double[][] s = new double[cfg.history()][], y = new double[cfg.history()][];
        double[] rho = new double[cfg.history()];
        int stored = 0, newest = -1;
        String reason = "max iterations";
        for (int k = 0; k < cfg.maxIterations(); k++) {
            if (normInf(g) <= cfg.gradTol()) { reason = "gradient"; break; }
            double[] p = direction(g, s, y, rho, stored, newest);
            double dphi0 = dot(g, p);
            if (!(dphi0 < 0)) {               // not a descent direction (rounding): restart from steepest descent
                stored = 0;
                p = direction(g, s, y, rho, 0, -1);
                dphi0 = dot(g, p);
            }
            // first step: unit length in x (N&W §3.5: scale matters only before curvature is known)
            double alpha0 = stored == 0 ? Math.min(1, 1 / Math.sqrt(dot(p, p))) : 1;
            Step st = lineSearch(obj, x, fx, dphi0, p, alpha0, cfg);
            if (st == null) { reason = "line search"; break; }
            if (cfg.secantStep()) st = secantRefine(obj, x, fx, dphi0, p, st, cfg);
            double[] sk = new double[d], yk = new double[d];
            for (int i = 0; i < d; i++) { sk[i] = st.x[i] - x[i]; yk[i] = st.g[i] - g[i]; }
            double sy = dot(sk, yk);
            double fPrev = fx;
            x = st.x; g = st.g; fx = st.f;
            path.add(new Iterate(x.clone(), fx, g.clone()));
            if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {   // strong Wolfe gives sᵀy > 0; skip pairs lost to rounding
                newest = (newest + 1) % cfg.history();
                s[newest] = sk; y[newest] = yk; rho[newest] = 1 / sy;
                stored = Math.min(stored + 1, cfg.history());
            }
            if (Math.abs(fPrev - fx) <= cfg.relTol() * Math.max(1, Math.max(Math.abs(fx), Math.abs(fPrev)))) { reason = "relative decrease"; break; }
        }
        if (reason.equals("max iterations") && normInf(g) <= cfg.gradTol()) reason = "gradient";
        return new Result(path, obj.count, reason);
    }

    /** p = −H∇f by the two-loop recursion (N&amp;W Alg. 7.4) over the stored pairs, oldest to newest. */
    static double[] direction(double[] g, double[][] s, double[][] y, double[] rho, int stored, int newest) {
        int d = g.length, m = s.length;
        double[] q = g.clone(), a = new double[m];
        for (int j = 0; j < stored; j++) {
            int i = Math.floorMod(newest - j, m);
            a[i] = rho[i] * dot(s[i], q);
            axpy(-a[i], y[i], q);
        }
        double gamma = stored == 0 ? 1 : dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
        for (int i = 0; i < d; i++) q[i] *= gamma;
        for (int j = stored - 1; j >= 0; j--) {
            int i = Math.floorMod(newest - j, m);
            double b = rho[i] * dot(y[i], q);
            axpy(a[i] - b, s[i], q);
        }
        for (int i = 0; i < d; i++) q[i] = -q[i];
        return q;
    }

    private record Step(double alpha, double f, double[] x, double[] g, double dphi) {}

    /** N&amp;W Alg. 3.5: bracket a strong-Wolfe step, then zoom; null when none is found in maxLineSearch evaluations. */
    private static Step lineSearch(Counter obj, double[] x, double f0, double dphi0, double[] p, double alpha1, Config cfg) {
        Step prev = new Step(0, f0, x, null, dphi0);
        double alpha = alpha1;
        for (int i = 0; i < cfg.maxLineSearch(); i++) {
            Step cur = at(obj, x, p, alpha);
            if (!armijo(cur, f0, dphi0, cfg) || (i > 0 && cur.f >= prev.f)) return zoom(obj, x, p, f0, dphi0, prev, cur, cfg, cfg.maxLineSearch() - i - 1);
            if (Math.abs(cur.dphi) <= -cfg.c2() * dphi0) return cur;
            if (cur.dphi >= 0) return zoom(obj, x, p, f0, dphi0, cur, prev, cfg, cfg.maxLineSearch() - i - 1);
            prev = cur;
            alpha *= 2;
        }
        return null;
    }

    /** N&amp;W Alg. 3.6: lo satisfies sufficient decrease with the lowest f so far; the interval [lo, hi] holds a strong-Wolfe step. */
    private static Step zoom(Counter obj, double[] x, double[] p, double f0, double dphi0, Step lo, Step hi, Config cfg, int budget) {
        for (int j = 0; j < budget; j++) {
            double alpha = interpolate(lo, hi);
            Step cur = at(obj, x, p, alpha);
            if (!armijo(cur, f0, dphi0, cfg) || cur.f >= lo.f) hi = cur;
            else {
                if (Math.abs(cur.dphi) <= -cfg.c2() * dphi0) return cur;
                if (cur.dphi * (hi.alpha - lo.alpha) >= 0) hi = lo;
                lo = cur;
            }
            if (Math.abs(hi.alpha - lo.alpha) <= 1e-16 * Math.max(1, Math.abs(lo.alpha))) return null;
        }
        return null;
    }

    /**
     * One trial at α* = α φ'(0) / (φ'(0) − φ'(α)), the root of φ' interpolated linearly (exact for a quadratic f);
     * kept only when it satisfies both Wolfe conditions and lowers f, else the Wolfe step stands.
     */
    private static Step secantRefine(Counter obj, double[] x, double f0, double dphi0, double[] p, Step st, Config cfg) {
        double denom = dphi0 - st.dphi;
        if (Math.abs(st.dphi) <= 1e-12 * -dphi0 || !(denom != 0)) return st;   // already exact to rounding
        double a = st.alpha * dphi0 / denom;
        if (!(a > 0) || !Double.isFinite(a) || a == st.alpha) return st;
        Step cand = at(obj, x, p, a);
        boolean wolfe = armijo(cand, f0, dphi0, cfg) && Math.abs(cand.dphi) <= -cfg.c2() * dphi0;
        return wolfe && cand.f <= st.f ? cand : st;
    }

    /**
     * The minimiser of the cubic through (α, φ, φ') at both ends (N&amp;W eq. 3.59), kept at least 10% of the
     * interval away from either end; bisection when the cubic has no minimiser there or an end is not finite.
     */
    static double interpolate(Step lo, Step hi) {
        double a = lo.alpha, b = hi.alpha, mid = 0.5 * (a + b);
        if (!Double.isFinite(hi.f) || !Double.isFinite(hi.dphi)) return mid;
        double d1 = lo.dphi + hi.dphi - 3 * (lo.f - hi.f) / (a - b);
        double disc = d1 * d1 - lo.dphi * hi.dphi;
        if (!(disc >= 0)) return mid;
        double d2 = Math.signum(b - a) * Math.sqrt(disc);
        double t = b - (b - a) * (hi.dphi + d2 - d1) / (hi.dphi - lo.dphi + 2 * d2);
        double lower = Math.min(a, b), width = Math.abs(b - a);
        if (!Double.isFinite(t) || t < lower + 0.1 * width || t > lower + 0.9 * width) return mid;
        return t;
    }

    private static Step at(Counter obj, double[] x, double[] p, double alpha) {
        double[] xn = new double[x.length], gn = new double[x.length];
        for (int i = 0; i < x.length; i++) xn[i] = x[i] + alpha * p[i];
        double fn = obj.eval(xn, gn);
        if (!Double.isFinite(fn) || !allFinite(gn)) return new Step(alpha, Double.POSITIVE_INFINITY, xn, gn, Double.NaN);
        return new Step(alpha, fn, xn, gn, dot(gn, p));
    }

    private static boolean armijo(Step s, double f0, double dphi0, Config cfg) { return s.f <= f0 + cfg.c1() * s.alpha * dphi0; }

    private static final class Counter {
        final Objective f;
        int count;

        Counter(Objective f) { this.f = f; }

        double eval(double[] x, double[] g) { count++; return f.evaluate(x, g); }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) { for (int i = 0; i < y.length; i++) y[i] += a * x[i]; }

    private static double normInf(double[] g) {
        double m = 0;
        for (double v : g) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static boolean allFinite(double[] v) {
        for (double e : v) if (!Double.isFinite(e)) return false;
        return true;
    }
}
