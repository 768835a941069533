package sivi.targets;

import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.mcmc.LogDensityGradient;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Any {@link Target} as a {@link LogDensityGradient} for the samplers of {@code sivi.mcmc}: one
 * point at a time in float64, log p from {@link Target#logDensity} (no tape recorded) and the
 * score from {@link Target#scoreValue} (analytic where the target has one, else autodiff).
 */
public final class McmcAdapter implements LogDensityGradient {
    private final Target target;
    private final int d;

    private McmcAdapter(Target target) { this.target = target; this.d = target.dim(); }

    public static LogDensityGradient of(Target target) { return new McmcAdapter(target); }

    @Override public int dim() { return d; }

    /**
     * Reads x[0..d), writes the score into gradOut[0..d); keeps neither. Outside the support (log p
     * not finite) the score is not evaluated and NaN is written: the samplers treat it as a divergence.
     */
    @Override public double evaluate(double[] x, double[] gradOut) {
        Tensor xt = Tensor.of(DType.F64, x, 1, d);
        double lp = GradMode.noGrad(() -> target.logDensity(Var.constant(xt)).value()).item();
        if (!Double.isFinite(lp)) {
            java.util.Arrays.fill(gradOut, 0, d, Double.NaN);
            return lp;
        }
        double[] s = target.scoreValue(xt).toDoubleArray();
        System.arraycopy(s, 0, gradOut, 0, d);
        return lp;
    }
}
