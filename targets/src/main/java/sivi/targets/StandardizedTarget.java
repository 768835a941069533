package sivi.targets;

import java.util.List;
import java.util.Optional;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * A target in standardised coordinates u = (x − m) / s, with fixed d-vectors m and s > 0:
 * <pre>  log p_u(u) = log p(m + s ⊙ u) + Σ_j log s_j, </pre>
 * the same distribution under an affine change of variables (normalised when p is), so a fit of p_u mapped
 * back by x = m + s ⊙ u is a fit of p. Score s ⊙ ∇log p(x) and HVP s ⊙ H(x)(s ⊙ v) come from the target's
 * own (analytic where it has them). {@link #constrain} maps u back to x first, so draws come out on the
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
    private final double logDetS;

    public StandardizedTarget(Target target, double[] m, double[] s) {
        int d = target.dim();
        if (m.length != d || s.length != d)
            throw new IllegalArgumentException("standardising " + target.name() + " (dim " + d + "): m has " + m.length + " entries, s " + s.length);
        double l = 0;
        for (int j = 0; j < d; j++) {
            if (!Double.isFinite(m[j])) throw new IllegalArgumentException("standardising " + target.name() + ": location " + j + " is " + m[j]);
            if (!(s[j] > 0 && Double.isFinite(s[j]))) throw new IllegalArgumentException("standardising " + target.name() + ": scale " + j + " must be finite and > 0, got " + s[j]);
            l += Math.log(s[j]);
        }
        this.target = target;
        this.m = m.clone();
        this.s = s.clone();
        this.logDetS = l;
    }

    public Target target() { return target; }

    public double[] location() { return m.clone(); }

    public double[] scale() { return s.clone(); }

    private Var row(double[] v, Tensor like) { return constant(Tensor.of(like.dtype(), v, 1, v.length)); }

    /** x = m + s ⊙ u, row by row. */
    private Tensor toX(Tensor u) { return add(mul(constant(u), row(s, u)), row(m, u)).value(); }

    @Override public String name() { return target.name(); }
    @Override public int dim() { return target.dim(); }
    @Override public List<String> names() { return target.names(); }
    @Override public List<String> outputNames() { return target.outputNames(); }
    @Override public boolean isNormalised() { return target.isNormalised(); }
    @Override public Tensor constrain(Tensor u) { return target.constrain(toX(u)); }

    @Override public Tensor unconstrain(Tensor y) {
        Tensor x = target.unconstrain(y);
        return div(sub(constant(x), row(m, x)), row(s, x)).value();
    }

    @Override public Var logDensity(Var u) {
        Var x = add(mul(u, row(s, u.value())), row(m, u.value()));
        return addScalar(target.logDensity(x), logDetS);
    }

    @Override public Tensor scoreValue(Tensor u) {
        return mul(constant(target.scoreValue(toX(u))), row(s, u)).value();
    }

    @Override public ScoreWithCache scoreWithCache(Tensor u) {
        ScoreWithCache c = target.scoreWithCache(toX(u));
        return new ScoreWithCache(mul(constant(c.score()), row(s, u)).value(), c.cache());
    }

    @Override public Tensor hvpValue(Tensor u, Tensor v) {
        Tensor sv = mul(constant(v), row(s, v)).value();
        return mul(constant(target.hvpValue(toX(u), sv)), row(s, u)).value();
    }

    @Override public Tensor hvpValue(Tensor u, Tensor v, Object cache) {
        Tensor sv = mul(constant(v), row(s, v)).value();
        return mul(constant(target.hvpValue(toX(u), sv, cache)), row(s, u)).value();
    }

    @Override public Target batch(long seed, long iteration) {
        Target t = target.batch(seed, iteration);
        return t == target ? this : new StandardizedTarget(t, m, s);
    }

    @Override public Target withDataBatch(int b) { return new StandardizedTarget(target.withDataBatch(b), m, s); }

    @Override public Optional<Tensor> exactSample(Rng rng, int n) {
        return target.exactSample(rng, n).map(x -> div(sub(constant(x), row(m, x)), row(s, x)).value());
    }
}
