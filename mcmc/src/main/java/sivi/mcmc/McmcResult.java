package sivi.mcmc;

/**
 * The post-warm-up output of a multi-chain run.
 *
 * @param draws        draws[c][n][i]: chain c, draw n, coordinate i (warm-up excluded)
 * @param stepSize     the adapted step size of each chain, used for every post-warm-up draw
 * @param invMetric    the adapted diagonal inverse mass matrix of each chain, [c][i]
 * @param divergent    divergent[c][n]: whether the transition that produced draw n diverged
 * @param treeDepth    treeDepth[c][n]: tree depth of NUTS (number of doublings); 0 for static HMC
 * @param leapfrogs    leapfrogs[c][n]: number of leapfrog steps of that transition
 * @param acceptStat   acceptStat[c][n]: mean Metropolis acceptance statistic of that transition
 * @param logDensity   logDensity[c][n]: log density of draw n (Stan's lp__, the target's own normalisation)
 * @param energy       energy[c][n]: Hamiltonian of the transition's returned state (Stan's energy__)
 * @param warmupDivergences number of divergent transitions during warm-up, per chain
 * @param wallNanos    wall time of the whole run, in nanoseconds
 * @param warmup       the kept warm-up iterations ({@link Keep#warmup}), or null
 */
public record McmcResult(double[][][] draws, double[] stepSize, double[][] invMetric,
                         boolean[][] divergent, int[][] treeDepth, int[][] leapfrogs,
                         double[][] acceptStat, double[][] logDensity, double[][] energy, int[] warmupDivergences, long wallNanos,
                         Warmup warmup) {

    /** A result without kept warm-up iterations. */
    public McmcResult(double[][][] draws, double[] stepSize, double[][] invMetric, boolean[][] divergent, int[][] treeDepth, int[][] leapfrogs,
                      double[][] acceptStat, double[][] logDensity, double[][] energy, int[] warmupDivergences, long wallNanos) {
        this(draws, stepSize, invMetric, divergent, treeDepth, leapfrogs, acceptStat, logDensity, energy, warmupDivergences, wallNanos, null);
    }

    /**
     * The kept warm-up iterations, [c][n] as the post-warm-up fields, with the step size each
     * transition used (it changes during adaptation).
     */
    public record Warmup(double[][][] draws, double[][] stepSize, boolean[][] divergent, int[][] treeDepth, int[][] leapfrogs,
                         double[][] acceptStat, double[][] logDensity, double[][] energy) {
        public int perChain() { return draws[0].length; }
    }

    public int chains() { return draws.length; }

    public int drawsPerChain() { return draws[0].length; }

    public int dim() { return draws[0][0].length; }

    /** Number of divergent post-warm-up transitions over all chains. */
    public int divergences() {
        int n = 0;
        for (boolean[] chain : divergent) for (boolean b : chain) if (b) n++;
        return n;
    }

    /** All chains stacked, rows = draws: [chains*draws][d] (rows are shared with {@link #draws}). */
    public double[][] pooled() {
        int c = chains(), n = drawsPerChain();
        double[][] out = new double[c * n][];
        for (int k = 0; k < c; k++) System.arraycopy(draws[k], 0, out, k * n, n);
        return out;
    }

    /** Coordinate i of every chain: [chains][draws], the input shape of {@link Diagnostics}. */
    public double[][] coordinate(int i) {
        double[][] out = new double[chains()][drawsPerChain()];
        for (int c = 0; c < chains(); c++) for (int n = 0; n < drawsPerChain(); n++) out[c][n] = draws[c][n][i];
        return out;
    }
}
