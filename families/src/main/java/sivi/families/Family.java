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
     * One reparameterised batch: x = μ + σ ⊙ ξ given the mixing draw z.
     * For the Gaussian conditional ∇_x log q(x | z) = −ξ/σ.
     */
    record Draw(Var x, Var z, Var xi, Var mu, Var sigma) {}
}
