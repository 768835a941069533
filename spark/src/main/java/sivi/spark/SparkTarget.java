package sivi.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.targets.EngineException;
import sivi.targets.RowModel;
import sivi.targets.RowTarget;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * A {@link RowTarget} whose rows live in a cached Spark data set: log p(θ) = Σ_partitions s Σ_{i∈P} ℓ(θ; x_i, y_i)
 * + log p₀(θ). Each evaluation broadcasts the particles (N×d, and v for an HVP), every partition
 * evaluates the target's own {@link RowModel} on its rows (the project's kernels, the executor's
 * default backend), and {@code treeAggregate} adds the partitions' N (log p), N×d (score) or N×d (HVP)
 * sums; the prior is added once on the driver. The variational update stays on the driver.
 *
 * <p>Minibatches ({@code --data-batch B}) are stratified: partition p, holding n_p of the n rows, draws
 * b_p ≈ B n_p / n of them (largest remainders, b_p ≥ 1) without replacement, weighted n_p / b_p, so
 * that the sum over partitions is unbiased for the full log-likelihood and its derivatives. The rows
 * follow from one seed drawn from the iteration's rng and the partition index, so the log density,
 * score and HVP of one iteration see the same rows.
 */
final class SparkTarget implements Target {
    /** What one pass over the partitions returns per particle. */
    enum Kind { LOGP, LOGP_SCORE, SCORE, HVP }

    private final JavaSparkContext spark;
    private final JavaRDD<Block> blocks;
    private final RowModel model;
    private final Target base;          // names, prior and output transforms, on the driver
    private final Target prior;
    private final int[] blockRows;      // rows of each partition, by partition index
    private final int rows, batch;      // batch: rows per minibatch, 0 for all
    private final int[] take;           // null: all rows; else rows drawn from each partition
    private final long seed;

    private SparkTarget(JavaSparkContext spark, JavaRDD<Block> blocks, RowModel model, Target base, Target prior, int[] blockRows, int batch, int[] take, long seed) {
        this.spark = spark; this.blocks = blocks; this.model = model; this.base = base; this.prior = prior;
        this.blockRows = blockRows; this.rows = Arrays.stream(blockRows).sum(); this.batch = batch; this.take = take; this.seed = seed;
    }

    /** The rows of {@code t} cut into {@code partitions} contiguous blocks, cached; minibatches as {@code t.dataBatch()}. */
    static SparkTarget of(JavaSparkContext spark, RowTarget t, int partitions) {
        double[][] x = t.rowsX();
        double[] y = t.rowsY();
        int n = y.length, p = Math.max(1, Math.min(partitions, n));
        List<Block> list = new java.util.ArrayList<>(p);
        for (int k = 0; k < p; k++) {
            int from = (int) ((long) n * k / p), to = (int) ((long) n * (k + 1) / p);
            list.add(new Block(k, Arrays.copyOfRange(x, from, to), Arrays.copyOfRange(y, from, to)));
        }
        return of(spark, spark.parallelize(list, p), t.rowModel(), t, t.prior(), t.dataBatch());
    }

    /**
     * A target over blocks already on the cluster (one {@link Block} per partition, e.g. generated or
     * read there). Caches them and counts their rows (one job).
     */
    static SparkTarget of(JavaSparkContext spark, JavaRDD<Block> blocks, RowModel model, Target base, Target prior, int batch) {
        JavaRDD<Block> cached = blocks.cache();
        List<int[]> sizes = guard(() -> cached.map(b -> new int[] {b.index, b.rows()}).collect());
        int[] blockRows = new int[sizes.size()];
        for (int[] s : sizes) blockRows[s[0]] = s[1];
        SparkTarget t = new SparkTarget(spark, cached, model, base, prior, blockRows, 0, null, 0);
        return batch > 0 ? (SparkTarget) t.withDataBatch(batch) : t;
    }

    int rows() { return rows; }

    int partitions() { return blockRows.length; }

    /** Drops the cached rows from the executors (this target cannot be evaluated afterwards). */
    void unpersist() { blocks.unpersist(true); }

    // ---------------------------------------------------------------- Target

    @Override public String name() { return base.name(); }
    @Override public int dim() { return base.dim(); }
    @Override public List<String> names() { return base.names(); }
    @Override public List<String> outputNames() { return base.outputNames(); }
    @Override public Tensor constrain(Tensor x) { return base.constrain(x); }
    @Override public Tensor unconstrain(Tensor y) { return base.unconstrain(y); }
    @Override public boolean isNormalised() { return false; }

    /** log p of each particle; its gradient is the score of the same pass (one job when a graph is recorded). */
    @Override public Var logDensity(Var x) {
        int n = x.dim(0), d = x.dim(1);
        DType dt = x.dtype();
        Var like;
        if (!GradMode.isRecording() || !x.requiresGrad()) {
            like = Var.constant(Tensor.of(dt, run(Kind.LOGP, x.value(), null), n));
        } else {
            double[] r = run(Kind.LOGP_SCORE, x.value(), null);
            Tensor lp = Tensor.of(dt, Arrays.copyOf(r, n), n), score = Tensor.of(dt, Arrays.copyOfRange(r, n, n + n * d), n, d);
            // d/dx Σ_n g_n log p(x_n) = g_n s(x_n); differentiated again (KSIVI, SIVI-SM through an ELBO) the score op gives the HVP
            like = Var.derived("spark.loglik." + name(), lp, new Var[] {x}, g -> new Var[] {
                    Ops.mul(Ops.reshape(g, n, 1), GradMode.isRecording() ? likelihoodScore(x, score) : Var.constant(score))});
        }
        return Ops.add(like, prior.logDensity(x));
    }

    /** The likelihood's score (already computed) as an op whose backward is its HVP. */
    private Var likelihoodScore(Var x, Tensor score) {
        return Var.derived("spark.score." + name(), score, new Var[] {x},
                g -> new Var[] {Var.constant(tensor(run(Kind.HVP, x.value(), g.value()), x.value()))});
    }

    @Override public Tensor scoreValue(Tensor x) {
        return add(tensor(run(Kind.SCORE, x, null), x), prior.scoreValue(x));
    }

    @Override public Tensor hvpValue(Tensor x, Tensor v) {
        return add(tensor(run(Kind.HVP, x, v), x), prior.hvpValue(x, v));
    }

    @Override public Target withDataBatch(int b) {
        if (b < 1) throw new IllegalArgumentException("batch size must be positive, got " + b);
        if (b >= rows) return new SparkTarget(spark, blocks, model, base, prior, blockRows, 0, null, 0);
        int nonEmpty = (int) Arrays.stream(blockRows).filter(r -> r > 0).count();
        if (b < nonEmpty) throw new IllegalArgumentException("a data batch of " + b + " rows is smaller than the " + nonEmpty + " partitions (each draws at least one row)");
        return new SparkTarget(spark, blocks, model, base, prior, blockRows, b, null, 0);
    }

    /**
     * Iteration t's stratified minibatch: each partition draws its share of rows with a seed that is a function of
     * (seed, t) alone, so a resumed run draws the same rows (unlike the local engine's epochs, rows are drawn
     * afresh each step: an epoch permutation would need a cluster-wide shuffle per epoch).
     */
    @Override public Target batch(long seed, long iteration) {
        if (batch == 0 || take != null) return this;
        return new SparkTarget(spark, blocks, model, base, prior, blockRows, batch, allocate(blockRows, batch),
                Rng.of(seed ^ ROW_STREAM, iteration).nextLong());
    }

    /** Separates the row-sampling stream from the method's own per-iteration streams of the same seed. */
    private static final long ROW_STREAM = 0x5DEECE66DL;

    /**
     * b_p rows for each partition, summing to B: the proportional shares B n_p / n rounded by largest
     * remainder, then one row for any non-empty partition left with none (taken from the largest b_p).
     */
    static int[] allocate(int[] blockRows, int b) {
        long n = Arrays.stream(blockRows).asLongStream().sum();
        int p = blockRows.length, given = 0;
        int[] take = new int[p];
        double[] rest = new double[p];
        for (int k = 0; k < p; k++) {
            double share = (double) b * blockRows[k] / n;
            take[k] = (int) Math.floor(share); given += take[k]; rest[k] = share - take[k];
        }
        for (int left = b - given; left > 0; left--) {
            int best = -1;
            for (int k = 0; k < p; k++) if (take[k] < blockRows[k] && (best < 0 || rest[k] > rest[best])) best = k;
            take[best]++; rest[best] = -1;
        }
        for (int k = 0; k < p; k++) {
            if (blockRows[k] == 0 || take[k] > 0) continue;
            int largest = 0;
            for (int j = 1; j < p; j++) if (take[j] > take[largest]) largest = j;
            take[largest]--; take[k] = 1;
        }
        return take;
    }

    // ---------------------------------------------------------------- the Spark pass

    /** One pass: the partitions' sums of {@code kind} at the particles x (and v), as doubles. */
    double[] run(Kind kind, Tensor x, Tensor v) {
        int n = x.dim(0), d = x.dim(1);
        DType dt = x.dtype();
        Broadcast<double[]> bx = spark.broadcast(x.toDoubleArray());
        Broadcast<double[]> bv = v == null ? null : spark.broadcast(v.toDoubleArray());
        RowModel m = model;
        int[] tk = take;
        long sd = seed;
        int len = kind == Kind.LOGP ? n : kind == Kind.LOGP_SCORE ? n + n * d : n * d;
        try {
            return guard(() -> blocks.treeAggregate(new double[len],
                    (acc, b) -> addInto(acc, evaluate(b, m, kind, dt, bx.value(), bv == null ? null : bv.value(), n, d, tk, sd)),
                    SparkTarget::addInto, 2));
        } finally {
            // not destroy(): it waits for every executor; the executors' copies go now, the driver's when the cleaner collects it
            bx.unpersist(false);
            if (bv != null) bv.unpersist(false);
        }
    }

    /** Runs a Spark action; a failure (after Spark's own task retries) becomes an {@link EngineException}. */
    static <T> T guard(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) {   // SparkException is checked in Java but thrown through Scala without a throws clause
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            throw new EngineException("the Spark job failed after Spark's retries: " + root, e);
        }
    }

    /** On an executor: the block's contribution (its likelihood, or a minibatch of it) at the particles. */
    static double[] evaluate(Block b, RowModel model, Kind kind, DType dt, double[] xs, double[] vs, int n, int d, int[] take, long seed) {
        Target like;
        if (take == null) {
            like = b.likelihood(model);
        } else {
            int k = take[b.index];
            if (k == 0) return null;
            int[] idx = sample(b.rows(), k, Rng.of(seed, b.index));
            double[][] x = new double[k][];
            double[] y = new double[k];
            for (int i = 0; i < k; i++) { x[i] = b.x[idx[i]]; y[i] = b.y[idx[i]]; }
            like = model.likelihood(x, y, (double) b.rows() / k);
        }
        Tensor x = Tensor.of(dt, xs, n, d);
        return switch (kind) {
            case LOGP -> GradMode.noGrad(() -> like.logDensity(Ops.constant(x))).value().toDoubleArray();
            case LOGP_SCORE -> {
                double[] lp = GradMode.noGrad(() -> like.logDensity(Ops.constant(x))).value().toDoubleArray();
                double[] s = like.scoreValue(x).toDoubleArray(), out = Arrays.copyOf(lp, n + n * d);
                System.arraycopy(s, 0, out, n, n * d);
                yield out;
            }
            case SCORE -> like.scoreValue(x).toDoubleArray();
            case HVP -> like.hvpValue(x, Tensor.of(dt, vs, n, d)).toDoubleArray();
        };
    }

    /** k distinct indices of 0..m−1, uniformly (partial Fisher–Yates, as the local targets draw theirs). */
    static int[] sample(int m, int k, Rng rng) {
        int[] a = new int[m];
        for (int i = 0; i < m; i++) a[i] = i;
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(m - i);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
        return Arrays.copyOf(a, k);
    }

    static double[] addInto(double[] acc, double[] part) {
        if (part != null) for (int i = 0; i < acc.length; i++) acc[i] += part[i];
        return acc;
    }

    private static Tensor tensor(double[] values, Tensor like) { return Tensor.of(like.dtype(), values, like.shape()); }

    private static Tensor add(Tensor a, Tensor b) {
        return sivi.kernels.Kernels.current().binary(sivi.kernels.Binary.ADD, a, b);
    }
}
