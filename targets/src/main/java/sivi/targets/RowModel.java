package sivi.targets;

import java.io.Serializable;

/**
 * The log-likelihood of a data target as a function of its rows: what a data engine ships to the
 * machines that hold the rows, so that every engine evaluates the one likelihood code of the target.
 * Small and serialisable (names and constants, never the data).
 */
public interface RowModel extends Serializable {
    /**
     * The target whose log density is s Σ_i ℓ(θ; x_i, y_i) over the given rows, without the prior
     * (score and HVP as the full target computes them).
     *
     * @param x     prepared input rows [m][k], m ≥ 1, as {@link RowTarget#rowsX()} gives them
     * @param y     responses [m]
     * @param scale s, the likelihood weight (n/B for a minibatch)
     */
    Target likelihood(double[][] x, double[] y, double scale);
}
