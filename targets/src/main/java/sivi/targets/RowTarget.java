package sivi.targets;

/**
 * A data target whose log density is a sum over rows plus a prior,
 * log p(θ) = s Σ_{i∈B} ℓ(θ; x_i, y_i) + log p₀(θ), so that the sum may be evaluated where the rows
 * are ({@link DataEngine}): each shard evaluates {@link #rowModel()} on its rows and the shards' log
 * densities, scores and HVPs are added, the prior once.
 */
public interface RowTarget extends Target {
    /** The likelihood as a function of rows (serialisable). */
    RowModel rowModel();

    /** The prepared training rows [n][k] (not copied: read only). */
    double[][] rowsX();

    /** The training responses [n] (not copied: read only). */
    double[] rowsY();

    /** log p₀(θ), the prior alone, as a target of the same dimension. */
    Target prior();

    /** Rows per minibatch set by {@link #withDataBatch}; 0 or ≥ n is the full data. */
    int dataBatch();
}
