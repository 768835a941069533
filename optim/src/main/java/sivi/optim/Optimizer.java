package sivi.optim;

import java.util.Map;
import sivi.nn.Params;
import sivi.tensor.Tensor;

/**
 * Updates parameters from gradients (minimisation). Optimiser state is named tensors so that
 * checkpoints can store it and a resumed run continues bit for bit.
 */
public interface Optimizer {
    /** θ ← update(θ, g) for every parameter that has a gradient; lr from the caller's schedule. */
    void step(Params params, Map<String, Tensor> grads, double lr);

    /** Internal state (moments, step counter) as named tensors. */
    Params state();

    /** Restores a state produced by {@link #state()}. */
    void load(Params state);
}
