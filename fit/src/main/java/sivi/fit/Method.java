package sivi.fit;

import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.tensor.DType;

/**
 * One inference algorithm (ADVI, SIVI, KSIVI, …). Every method fits the same protocol, and the
 * one {@link Trainer} runs all of them: schedules, trace, progress, divergence checks, checkpoints.
 */
public interface Method {
    /** The CLI name, e.g. "ksivi". */
    String name();

    /** One line; a registered method's is its {@link MethodDescriptor#description()}. */
    default String description() { return Registry.find(name()).map(MethodDescriptor::description).orElse(name()); }

    /** Builds the family, auxiliary networks and optimisers from the options; reads every option it uses. */
    Session init(Target target, Options options, DType dtype, Rng rng);
}
