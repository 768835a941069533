package sivi.targets;

import java.util.List;
import java.util.Optional;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * A target in standardised coordinates u, x = m + L u with a fixed d-vector m and a lower-triangular L with a
 * positive diagonal (diagonal L = diag(s): u = (x − m) / s; a Cholesky factor of a covariance: whitened):
 * <pre>  log p_u(u) = log p(m + L u) + Σ_j log L_jj, </pre>
 * the same distribution under an affine change of variables (normalised when p is), so a fit of p_u mapped
 * back by x = m + L u is a fit of p. Score Lᵀ ∇log p(x) and HVP Lᵀ H(x) L v come from the target's own
 * (analytic where it has them). {@link #constrain} maps u back to x first, so draws come out on the
 * target's own scale and names; {@link #unconstrain} goes the other way.
 *
 * <p>Why: a method with a fixed step size (Adam) moves each coordinate by about its learning rate per step,
 * so a posterior centred far from the origin or much wider or narrower than 1 (posteriordb's regressions on
 * unscaled predictors) takes it thousands of steps to reach; m and s from a cheap estimate (a Laplace fit)
 * remove that, and the method is left with the shape.
 */
public final class StandardizedTarget implements Target {
    private final Target target;
    private final double[] m, s;
    /** Row-major d×d lower-triangular L, or null when L = diag(s). */
    private final double[] l;
    private final double logDet;

    /** Diagonal: u = (x − m) / s. */
    public StandardizedTarget(Target target, double[] m, double[] s) { this(target, m, s, null); }

    private StandardizedTarget(Target target, double[] m, double[] s, double[] l) {
        int d = target.dim();
        if (m.length != d || s.length != d)
            throw new IllegalArgumentException("standardising " + target.name() + " (dim " + d + "): m has " + m.length + " entries, the scale " + s.length);
        double ld = 0;
        for (int j = 0; j < d; j++) {
            if (!Double.isFinite(m[j])) throw new IllegalArgumentException("standardising " + target.name() + ": location " + j + " is " + m[j]);
            if (!(s[j] > 0 && Double.isFinite(s[j]))) throw new IllegalArgumentException("standardising " + target.name() + ": scale " + j + " must be finite and > 0, got " + s[j]);
            ld += Math.log(s[j]);
        }
        if (l != null)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) {
                    double v = l[i * d + j];
                    if (j > i && v != 0) throw new IllegalArgumentException("standardising " + target.name() + ": L must be lower-triangular, L[" + i + "][" + j + "] = " + v);
                    if (!Double.isFinite(v)) throw new IllegalArgumentException("standardising " + target.name() + ": L[" + i + "][" + j + "] is " + v);
                }
        this.target = target;
        this.m = m.clone();
        this.s = s.clone();
        this.l = l == null ? null : l.clone();
        this.logDet = ld;
    }

    /** Whitened: x = m + L u, L lower-triangular (row-major d×d) with a positive diagonal, e.g. a covariance's Cholesky factor. */
    public static StandardizedTarget whitened(Target target, double[] m, double[][] lower) {
        int d = target.dim();
        if (lower.length != d) throw new IllegalArgumentException("standardising " + target.name() + " (dim " + d + "): L has " + lower.length + " rows");
        double[] flat = new double[d * d], diag = new double[d];
        for (int i = 0; i < d; i++) {
            if (lower[i].length != d) throw new IllegalArgumentException("standardising " + target.name() + ": row " + i + " of L has " + lower[i].length + " entries, not " + d);
            System.arraycopy(lower[i], 0, flat, i * d, d);
            diag[i] = lower[i][i];
        }
        return new StandardizedTarget(target, m, diag, flat);
    }

    public Target target() { return target; }

    private Var row(double[] v, Tensor like) { return constant(Tensor.of(like.dtype(), v, 1, v.length)); }

    private Var lower(Tensor like) { return constant(Tensor.of(like.dtype(), l, s.length, s.length)); }

    /** Rows u → rows u Lᵀ (= (L u)ᵀ for each row), as a differentiable op. */
    private Var timesLT(Var u) { return l == null ? mul(u, row(s, u.value())) : matmul(u, lower(u.value()), false, true); }

    /** Rows g → rows g L (= (Lᵀ g)ᵀ): the chain rule's way back. */
    private Tensor timesL(Tensor g) { return (l == null ? mul(constant(g), row(s, g)) : matmul(constant(g), lower(g), false, false)).value(); }

    /** x = m + L u, row by row: draws in these coordinates back in the target's own (unconstrained) ones. */
    public Tensor toOriginal(Tensor u) { return add(timesLT(constant(u)), row(m, u)).value(); }

    @Override public String name() { return target.name(); }
    @Override public int dim() { return target.dim(); }
    @Override public List<String> names() { return target.names(); }
    @Override public List<String> outputNames() { return target.outputNames(); }
    @Override public boolean isNormalised() { return target.isNormalised(); }
    @Override public Tensor constrain(Tensor u) { return target.constrain(toOriginal(u)); }

    @Override public Tensor unconstrain(Tensor y) { return toU(target.unconstrain(y)); }

    /** u = L⁻¹ (x − m) for each row (forward substitution; elementwise for a diagonal L): the inverse of {@link #toOriginal}. */
    public Tensor toU(Tensor x) {
        if (l == null) return div(sub(constant(x), row(m, x)), row(s, x)).value();
        double[][] r = x.toMatrix();
        int d = s.length;
        for (double[] xr : r) {
            for (int i = 0; i < d; i++) {
                double v = xr[i] - m[i];
                for (int j = 0; j < i; j++) v -= l[i * d + j] * xr[j];
                xr[i] = v / l[i * d + i];
            }
        }
        return Tensor.matrix(r).cast(x.dtype());
    }

    @Override public Var logDensity(Var u) {
        Var x = add(timesLT(u), row(m, u.value()));
        return addScalar(target.logDensity(x), logDet);
    }

    @Override public Tensor scoreValue(Tensor u) { return timesL(target.scoreValue(toOriginal(u))); }

    @Override public ScoreWithCache scoreWithCache(Tensor u) {
        ScoreWithCache c = target.scoreWithCache(toOriginal(u));
        return new ScoreWithCache(timesL(c.score()), c.cache());
    }

    @Override public Tensor hvpValue(Tensor u, Tensor v) {
        return timesL(target.hvpValue(toOriginal(u), timesLT(constant(v)).value()));
    }

    @Override public Tensor hvpValue(Tensor u, Tensor v, Object cache) {
        return timesL(target.hvpValue(toOriginal(u), timesLT(constant(v)).value(), cache));
    }

    @Override public Target batch(long seed, long iteration) {
        Target t = target.batch(seed, iteration);
        return t == target ? this : new StandardizedTarget(t, m, s, l);
    }

    @Override public Target withDataBatch(int b) { return new StandardizedTarget(target.withDataBatch(b), m, s, l); }

    @Override public Optional<Tensor> exactSample(Rng rng, int n) { return target.exactSample(rng, n).map(this::toU); }
}
