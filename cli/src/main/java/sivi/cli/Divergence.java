package sivi.cli;

import java.util.Optional;
import sivi.fit.Fit;
import sivi.tensor.Tensor;

/**
 * A fit that blew up without producing NaN or ±∞ (e.g. SVGD with a step size of 1e8: draws near
 * 1e9, objective near 1e23). Two signs, each far beyond what training ever does to a run that works:
 * the objective's final level is {@value #OBJECTIVE_FACTOR}× larger in magnitude than at the
 * first iteration, or the draws lie {@value #DRAW_FACTOR}× further from the reference draws' centre than the
 * reference's own spread (only when the target has reference draws).
 */
final class Divergence {
    private Divergence() {}

    static final double OBJECTIVE_FACTOR = 1e4, DRAW_FACTOR = 1e3;

    static Optional<String> check(Fit fit, Optional<Tensor> reference) {
        double[] o = fit.trace().objective();
        if (o.length >= 20 && fit.startIteration() == 0) {
            double start = Math.abs(o[0]), end = Math.abs(fit.finalObjective());   // a blow-up can come at the second iteration
            if (Double.isFinite(end) && end > OBJECTIVE_FACTOR * Math.max(1, start))
                return Optional.of(String.format("the objective grew from |%.3g| (first iteration) to |%.3g| (final): the fit diverged; try a smaller step size (--set lr=...)", start, end));
        }
        if (reference.isPresent()) {
            double[][] ref = reference.get().toMatrix(), x = fit.samples().toMatrix();
            int d = ref[0].length;
            for (int j = 0; j < d; j++) {
                double mean = 0, var = 0;
                for (double[] r : ref) mean += r[j] / ref.length;
                for (double[] r : ref) var += (r[j] - mean) * (r[j] - mean) / ref.length;
                double sd = Math.sqrt(var), worst = 0;
                for (double[] r : x) worst = Math.max(worst, Math.abs(r[j] - mean));
                if (worst > DRAW_FACTOR * Math.max(sd, 1e-12))
                    return Optional.of(String.format("draws of %s lie up to %.3g away from the reference mean, %.0f× the reference sd: the fit diverged; try a smaller step size (--set lr=...)",
                            fit.names().get(j), worst, worst / Math.max(sd, 1e-12)));
            }
        }
        return Optional.empty();
    }
}
