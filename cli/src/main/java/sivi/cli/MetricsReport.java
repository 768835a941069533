package sivi.cli;

import java.util.Map;
import java.util.Optional;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/**
 * The {@code metrics} object of summary.json and of {@code sivi eval}: how close draws are to the
 * target, against reference draws where there are some (exact draws or a --reference file), and
 * from the target's score alone (KSD) for every target.
 *
 * <p>{@link #standard()} is the one place that picks the implementation: {@link StandardMetrics},
 * which delegates every number to {@code sivi.metrics}.
 */
interface MetricsReport {
    /** Metrics as a flat JSON-ready map (name → number or string). {@code draws} is N×d. */
    Map<String, Object> compute(Target target, Tensor draws, Optional<Tensor> reference);

    static MetricsReport standard() { return new StandardMetrics(); }
}
