package sivi.cli;

import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.mcmc.LogDensityGradient;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/**
 * A {@link Target} seen by the samplers of {@code sivi.mcmc}: one point at a time, in float64,
 * log p from {@link Target#logDensity} and the score from {@link Target#scoreValue} (analytic where
 * the target overrides it, autodiff otherwise). Outside the support (log p not finite) the gradient
 * is not evaluated and NaN is written; the samplers treat that as a divergence.
 *
 * <p>Kept private to the CLI on purpose: a shared {@code sivi.targets.McmcAdapter} is on its way
 * from another branch; when it is merged this class should be replaced by it.
 */
final class TargetDensity implements LogDensityGradient {
    private final Target target;
    private final int d;

    TargetDensity(Target target) { this.target = target; this.d = target.dim(); }

    @Override public int dim() { return d; }

    @Override public double evaluate(double[] x, double[] gradOut) {
        Tensor point = Tensor.of(x, 1, d);   // a copy: the sampler may reuse x
        double lp = GradMode.noGrad(() -> target.logDensity(Var.constant(point)).value().item());
        if (!Double.isFinite(lp)) {
            java.util.Arrays.fill(gradOut, 0, d, Double.NaN);
            return lp;
        }
        double[] g = target.scoreValue(point).toDoubleArray();
        System.arraycopy(g, 0, gradOut, 0, d);
        return lp;
    }
}
