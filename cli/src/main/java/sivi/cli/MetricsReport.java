package sivi.cli;

import java.util.Map;
import java.util.Optional;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/**
 * The {@code metrics} object of summary.json and of {@code sivi eval}: how close draws are to the
 * target, against reference draws where there are some (exact draws or a --reference file).
 *
 * <p>{@link #standard()} is the one place that picks the implementation. Today that is
 * {@link QuickMetrics} (moment errors and an RBF MMD, all in this package); when the
 * {@code sivi.metrics} package (MMD, KSD, k-NN KL, …) lands, an implementation delegating to it
 * replaces it here and every subcommand reports the new metrics.
 */
interface MetricsReport {
    /** Metrics as a JSON-ready map (numbers, strings, nested maps). {@code draws} is N×d. */
    Map<String, Object> compute(Target target, Tensor draws, Optional<Tensor> reference);

    static MetricsReport standard() { return new QuickMetrics(); }
}
