package sivi.fit;

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
}
