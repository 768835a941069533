package sivi.targets;

import sivi.autodiff.Var;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * A point of the geometric annealing path between an isotropic Gaussian base N(m·1, s²I) and a target p:
 * <pre>  log p_β(x) = (1 − β)·log N(x; m, s²I) + β·log p(x),   β ∈ [0, 1], </pre>
 * so β = 1 is the target and β = 0 the base (HSIVI's auxiliary distributions, docs/algorithms.md#hsivi).
 * Unnormalised unless β ∈ {0, 1} (and p normalised). Score and HVP are the same convex combination:
 * s_β = (1 − β)·(m − x)/s² + β·s_p(x), H_β v = −(1 − β)·v/s² + β·H_p v, using the target's own
 * (analytic where available) score and HVP; {@link #score} is then the usual score op (backward = HVP).
 * {@link #batch} forwards to the target's minibatch view.
 */
public final class AnnealedTarget implements Target {
    private final Target target;
    private final double beta, baseMean, baseStd;

    public AnnealedTarget(Target target, double beta, double baseMean, double baseStd) {
        if (!(beta >= 0 && beta <= 1)) throw new IllegalArgumentException("annealing beta must be in [0, 1], got " + beta);
        if (!(baseStd > 0)) throw new IllegalArgumentException("base std must be > 0, got " + baseStd);
        this.target = target;
        this.beta = beta;
        this.baseMean = baseMean;
        this.baseStd = baseStd;
    }

    public double beta() { return beta; }

    public Target target() { return target; }

    @Override public String name() { return target.name() + "@beta=" + beta; }
    @Override public int dim() { return target.dim(); }
    @Override public java.util.List<String> names() { return target.names(); }
    @Override public java.util.List<String> outputNames() { return target.outputNames(); }
    @Override public Tensor constrain(Tensor x) { return target.constrain(x); }
    @Override public Tensor unconstrain(Tensor y) { return target.unconstrain(y); }
    @Override public boolean isNormalised() { return beta == 0 || (beta == 1 && target.isNormalised()); }

    /** log N(x; m, s²I) per row. */
    Var baseLogDensity(Var x) {
        Var z = scale(addScalar(x, -baseMean), 1 / baseStd);
        int d = x.dim(1);
        return addScalar(scale(sum(square(z), 1, false), -0.5), -0.5 * d * Math.log(2 * Math.PI) - d * Math.log(baseStd));
    }

    @Override public Var logDensity(Var x) {
        if (beta == 1) return target.logDensity(x);
        if (beta == 0) return baseLogDensity(x);
        return add(scale(baseLogDensity(x), 1 - beta), scale(target.logDensity(x), beta));
    }

    @Override public Tensor scoreValue(Tensor x) {
        if (beta == 1) return target.scoreValue(x);
        Var base = scale(addScalar(constant(x), -baseMean), -(1 - beta) / (baseStd * baseStd));
        if (beta == 0) return base.value();
        return add(base, scale(constant(target.scoreValue(x)), beta)).value();
    }

    @Override public Tensor hvpValue(Tensor x, Tensor v) {
        if (beta == 1) return target.hvpValue(x, v);
        Var base = scale(constant(v), -(1 - beta) / (baseStd * baseStd));
        if (beta == 0) return base.value();
        return add(base, scale(constant(target.hvpValue(x, v)), beta)).value();
    }

    @Override public Target batch(long seed, long iteration) {
        Target t = target.batch(seed, iteration);
        return t == target ? this : new AnnealedTarget(t, beta, baseMean, baseStd);
    }

    @Override public double[] plotBox() { return target.plotBox(); }
}
