package sivi.fit;

import java.util.ArrayList;
import java.util.List;
import sivi.targets.Target;
import sivi.tensor.DType;

/**
 * Initial points for MCMC chains from multi-path Pathfinder, as Zhang et al. (2022, §5) propose and CmdStan
 * offers: P paths from starts uniform in (−2, 2)^d, their draws weighted by p/q and PSIS-resampled, so a path
 * that ended at a minor mode or in a region of negligible mass (the explosive region of an ARMA recursion, a
 * local optimum of an ODE fit) contributes almost nothing, and a chain does not start there. Used by
 * {@code sivi mcmc --init pathfinder}.
 */
public final class PathfinderInits {
    private PathfinderInits() {}

    /** Draws resampled per chain: room to find distinct points (the resampling is with replacement). */
    static final int DRAWS_PER_CHAIN = 25;

    /** What was drawn: one unconstrained point per chain, each path's Gaussian mean, and the resampling's Pareto k̂. */
    public record Result(double[][] inits, double[][] pathMeans, double khat) {}

    /**
     * {@code chains} distinct points (where the resample holds that many; else repeated) with a finite log
     * density and score, from {@code paths} Pathfinder paths in float64 with the given seed.
     */
    public static Result draw(Target t, int chains, int paths, long seed) {
        if (chains < 1) throw new IllegalArgumentException("chains must be >= 1, got " + chains);
        if (paths < 2) throw new IllegalArgumentException("Pathfinder inits need >= 2 paths (importance resampling over them), got " + paths);
        Fit f = Sivi.method("pathfinder").set("paths", String.valueOf(paths)).iterations(paths).dtype(DType.F64)
                .draws(DRAWS_PER_CHAIN * chains).seed(seed).fit(t);
        double[][] x = f.samples().toMatrix();
        int d = t.dim();
        double[] score = new double[d];
        List<double[]> picked = new ArrayList<>();
        for (double[] row : x) {
            if (picked.size() == chains) break;
            if (picked.stream().anyMatch(p -> java.util.Arrays.equals(p, row))) continue;
            double lp = t.logDensityAndScore(row, score);
            if (Double.isFinite(lp) && java.util.Arrays.stream(score).allMatch(Double::isFinite)) picked.add(row);
        }
        if (picked.isEmpty()) throw new IllegalStateException("Pathfinder gave no draw with a finite log density and score on " + t.name());
        double[][] inits = new double[chains][];
        for (int c = 0; c < chains; c++) inits[c] = picked.get(c % picked.size()).clone();
        double[][] means = new double[paths][];
        for (int p = 0; p < paths; p++) means[p] = f.params().get("path" + p + ".mu").toDoubleArray();
        Object k = f.session().report().get("psis_khat");
        return new Result(inits, means, k instanceof Number n ? n.doubleValue() : Double.NaN);
    }
}
