package sivi.families;

import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.Tensor;

/**
 * A variational family q_φ over R^d whose parameters live in a {@link Params} under a prefix.
 * {@link #sample} is reparameterised: the draw's x is a differentiable function of the bound
 * parameters, and the draw keeps the noise it used.
 */
public interface Family {
    int dim();

    /** Reparameterised draws of n points. */
    Draw sample(Params.Bound p, Rng rng, int n);

    /** n draws as plain values (no graph). */
    default Tensor sampleValues(Params params, Rng rng, int n) {
        return GradMode.noGrad(() -> sample(params.bind(), rng, n).x().value());
    }

    /**
     * log q(x | z) per row (x n×d, z the n×dz mixing draws of {@link Draw#z}); families without a
     * mixing variable have q(x | z) = q(x). Default: not available.
     */
    default Var conditionalLogDensity(Params.Bound p, Var x, Var z) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no conditional log-density");
    }

    /** Whether {@link #logDensity} is exact (closed form). */
    default boolean hasExactLogDensity() { return false; }

    /** The exact marginal log q(x) per row (n×d → n), where one exists. */
    default Var logDensity(Params.Bound p, Var x) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no exact log-density");
    }

    /**
     * n reparameterised draws with log q of each (x n×d, logQ n), for families with an exact density.
     * Default: {@link #sample} then {@link #logDensity}; a flow overrides it with the log-determinant of its
     * forward pass (no inverse needed).
     */
    default Scored sampleWithLogDensity(Params.Bound p, Rng rng, int n) {
        Var x = sample(p, rng, n).x();
        return new Scored(x, logDensity(p, x));
    }

    /** Draws and their log-density (both differentiable in the bound parameters). */
    record Scored(Var x, Var logQ) {}

    /**
     * One reparameterised batch: x = μ + σ ⊙ ξ given the mixing draw z.
     * For the Gaussian conditional ∇_x log q(x | z) = −ξ/σ.
     */
    record Draw(Var x, Var z, Var xi, Var mu, Var sigma) {}
}
