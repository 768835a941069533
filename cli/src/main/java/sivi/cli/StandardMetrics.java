package sivi.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import sivi.kernels.Rng;
import sivi.metrics.EnergyDistance;
import sivi.metrics.KnnKl;
import sivi.metrics.Ksd;
import sivi.metrics.Mmd;
import sivi.metrics.MomentErrors;
import sivi.metrics.PosteriorComparison;
import sivi.metrics.Predictive;
import sivi.metrics.SlicedWasserstein;
import sivi.targets.BnnRegression;
import sivi.targets.LogisticRegression;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The standard metrics, all computed by {@code sivi.metrics}; the keys of the flat {@code metrics}
 * object (units in brackets; "x" = the units of the parameters):
 * <pre>
 *  n_draws                              number of draws evaluated (after thinning, see below)
 *  ksd2_imq, ksd2_imq_se                KSD² U-statistic, IMQ kernel (c = 1, β = -1/2), and its SE  [score² units]
 *  ksd2_rbf, ksd2_rbf_se, ksd_rbf_bandwidth   the same with a Gaussian kernel, median bandwidth [x]
 *  -- data targets with held-out rows (bnn-*, lr-*), from all draws --
 *  test_rmse, test_log_lik              BNN: RMSE of the mean prediction [units of y] and the papers' test
 *                                       log-likelihood [nats per test row] (see BnnRegression)
 *  test_accuracy, test_log_lik          logistic regression: accuracy of the predictive probability and the
 *                                       test log-likelihood [nats per test row]
 *  -- with reference draws only --
 *  reference_n                          number of reference draws used
 *  mmd2_rbf, mmd2_rbf_se, mmd_rbf_bandwidth   unbiased MMD² (Gaussian kernel, median heuristic on the
 *                                       pooled draws) [dimensionless], its SE, the bandwidth [x]
 *  energy_distance, energy_distance_se  energy distance U-statistic and its SE [x]
 *  sliced_w2                            sliced 2-Wasserstein distance, 100 directions from a fixed seed [x]
 *  kl_knn_draws_ref_nats                KL(draws ‖ reference), 1-NN estimator [nats]
 *  kl_knn_ref_draws_nats                KL(reference ‖ draws), 1-NN estimator [nats]
 *  mean_abs_error_max, mean_abs_error_rms   marginal means: max / RMS of |error| over coordinates [x]
 *  sd_abs_error_max, sd_abs_error_rms       marginal sds (n - 1) [x]
 *  corr_abs_error_max, corr_abs_error_rms   pairwise correlations [dimensionless]; 0 when d = 1
 *  z_mean_max                           max over coordinates of |mean − ref mean| / ref sd [dimensionless]
 *  sd_ratio_worst                       the sd / ref sd furthest from 1 (log scale) [dimensionless]
 *  w1_marginal_max, w1_marginal_mean    exact 1-Wasserstein distance of each marginal, standardised by the
 *                                       reference mean and sd: max and mean over coordinates [ref sds]
 *  w1_sliced                            sliced 1-Wasserstein distance of the standardised draws [ref sds]
 * </pre>
 * The kernel metrics cost O(n²); above {@link #MAX_ROWS} draws (or reference draws) an evenly spaced
 * subset of {@link #MAX_ROWS} rows is used, which keeps all chains of an MCMC file. The k-NN
 * estimator needs distinct points, so exact duplicate rows (MCMC rejections) are dropped for it.
 * A metric that cannot be computed (e.g. fewer than 3 draws) is written as null.
 */
final class StandardMetrics implements MetricsReport {
    static final int MAX_ROWS = 2000;
    static final int SLICED_PROJECTIONS = 100;
    /** Seed of the sliced-Wasserstein directions (fixed, so runs are comparable). */
    static final long SLICED_SEED = 7;

    @Override public Map<String, Object> compute(Target target, Tensor draws, Optional<Tensor> reference) {
        Tensor xs = thin(draws.cast(DType.F64));
        double[][] x = xs.toMatrix();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n_draws", x.length);
        double[][] scores = x.length >= 3 ? target.scoreValue(xs).cast(DType.F64).toMatrix() : new double[0][];
        put(m, () -> { Ksd k = Ksd.imq(x, scores); return Map.of("ksd2_imq", k.u(), "ksd2_imq_se", k.standardError()); },
                "ksd2_imq", "ksd2_imq_se");
        put(m, () -> { Ksd k = Ksd.rbf(x, scores); return Map.of("ksd2_rbf", k.u(), "ksd2_rbf_se", k.standardError(), "ksd_rbf_bandwidth", k.bandwidth()); },
                "ksd2_rbf", "ksd2_rbf_se", "ksd_rbf_bandwidth");
        predictive(m, target, draws);
        if (reference.isEmpty()) return m;

        double[][] y = thin(reference.get().cast(DType.F64)).toMatrix();
        m.put("reference_n", y.length);
        put(m, () -> { Mmd r = Mmd.rbf(x, y); return Map.of("mmd2_rbf", r.mmd2(), "mmd2_rbf_se", r.standardError(), "mmd_rbf_bandwidth", r.bandwidth()); },
                "mmd2_rbf", "mmd2_rbf_se", "mmd_rbf_bandwidth");
        put(m, () -> { EnergyDistance e = EnergyDistance.of(x, y); return Map.of("energy_distance", e.value(), "energy_distance_se", e.standardError()); },
                "energy_distance", "energy_distance_se");
        put(m, () -> Map.of("sliced_w2", SlicedWasserstein.distance(x, y, SLICED_PROJECTIONS, new Rng(SLICED_SEED))), "sliced_w2");
        double[][] xd = distinct(x), yd = distinct(y);
        put(m, () -> Map.of("kl_knn_draws_ref_nats", KnnKl.divergence(xd, yd)), "kl_knn_draws_ref_nats");
        put(m, () -> Map.of("kl_knn_ref_draws_nats", KnnKl.divergence(yd, xd)), "kl_knn_ref_draws_nats");
        put(m, () -> {
            MomentErrors e = MomentErrors.of(x, y);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("mean_abs_error_max", e.meanMax()); r.put("mean_abs_error_rms", e.meanRms());
            r.put("sd_abs_error_max", e.sdMax()); r.put("sd_abs_error_rms", e.sdRms());
            r.put("corr_abs_error_max", e.corrMax()); r.put("corr_abs_error_rms", e.corrRms());
            return r;
        }, "mean_abs_error_max", "mean_abs_error_rms", "sd_abs_error_max", "sd_abs_error_rms", "corr_abs_error_max", "corr_abs_error_rms");
        put(m, () -> {   // the posteriordb scores (Pathfinder paper): on the reference's scale
            PosteriorComparison c = PosteriorComparison.of(x, y);
            return Map.of("z_mean_max", c.zMeanMax(), "sd_ratio_worst", c.sdRatioWorst(), "w1_marginal_max", c.w1MarginalMax(),
                    "w1_marginal_mean", c.w1MarginalMean(), "w1_sliced", c.w1Sliced());
        }, "z_mean_max", "sd_ratio_worst", "w1_marginal_max", "w1_marginal_mean", "w1_sliced");
        return m;
    }

    /** The held-out metrics of the data targets that have test rows (the papers' BNN and BLR tables). */
    private static void predictive(Map<String, Object> m, Target target, Tensor draws) {
        if (target instanceof BnnRegression bnn) {
            put(m, () -> { Predictive.Regression r = bnn.testMetrics(draws.cast(DType.F64).toMatrix()); return Map.of("test_rmse", r.rmse(), "test_log_lik", r.logLikelihood()); },
                    "test_rmse", "test_log_lik");
        } else if (target instanceof LogisticRegression lr && lr.data().testX().length > 0) {
            put(m, () -> { Predictive.Classification c = lr.testMetrics(draws.cast(DType.F64).toMatrix()); return Map.of("test_accuracy", c.accuracy(), "test_log_lik", c.logLikelihood()); },
                    "test_accuracy", "test_log_lik");
        }
    }

    private interface Metric { Map<String, ?> compute(); }

    /** Puts the metric's values in a fixed key order, or null under every key when it cannot be computed. */
    private static void put(Map<String, Object> m, Metric metric, String... keys) {
        Map<String, ?> v;
        try { v = metric.compute(); }
        catch (IllegalArgumentException e) { v = Map.of(); }   // too few or degenerate draws (sivi.metrics says which)
        for (String k : keys) m.put(k, v.get(k));
    }

    /** At most MAX_ROWS rows, evenly spaced (deterministic). */
    static Tensor thin(Tensor x) {
        int n = x.dim(0);
        if (n <= MAX_ROWS) return x;
        double[][] rows = x.toMatrix(), out = new double[MAX_ROWS][];
        for (int i = 0; i < MAX_ROWS; i++) out[i] = rows[(int) ((long) i * n / MAX_ROWS)];
        return Tensor.matrix(out);
    }

    /** The rows without exact repeats, in first-seen order. */
    static double[][] distinct(double[][] x) {
        var seen = new java.util.LinkedHashMap<java.util.List<Double>, double[]>();
        for (double[] r : x) seen.putIfAbsent(java.util.Arrays.stream(r).boxed().toList(), r);
        return seen.values().toArray(double[][]::new);
    }
}
