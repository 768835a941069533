package sivi.fit;

import java.util.Map;
import java.util.Optional;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/** A method's running state on one target, advanced one iteration at a time by the {@link Trainer}. */
public interface Session {
    /** Parameters, optimisers and EMA: what a checkpoint holds. */
    TrainState state();

    /**
     * One training iteration. Updates {@link #state()} in place through {@link TrainState#apply}
     * and returns the objective. All randomness comes from {@code rng}.
     */
    StepInfo step(Target target, int iteration, Rng rng);

    /** n draws from the current approximation (EMA parameters when enabled), no graph. */
    Tensor sample(Rng rng, int n);

    /**
     * log q(x) per row of x (n×d → n, float64) where the approximation has a closed-form density
     * (what PSIS-k̂ needs); empty for methods whose q has none (particles, semi-implicit families).
     */
    default Optional<double[]> logDensity(Tensor x) { return Optional.empty(); }

    /**
     * For a semi-implicit q, whose density has no closed form: n fresh draws with an upper bound on log q at each
     * (IWHVI's bound, E log q̂ ≥ log q; docs/algorithms.md#psis), what PSIS-k̂ uses there. Empty otherwise.
     */
    default Optional<DensitySession.Draws> sampleWithLogDensityBound(Rng rng, int n) { return Optional.empty(); }

    /** Method-specific results for summary.json, e.g. Laplace's log Z or Pathfinder's gradient evaluations. */
    default Map<String, Object> report() { return Map.of(); }
}
