package sivi.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.targets.LogisticRegression;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * {@code ./sivi spark-bench}: the cost of one score evaluation of N particles (what a KSIVI step asks of
 * the data engine) on synthetic logistic regression, local engine (1 and 2 backend threads) against the
 * Spark engine on {@code local[2]}, for n rows and d features. Runs alternate
 * local-1, local-2, spark within each repetition, so that the shared machine's load hits all alike;
 * the summary gives medians and their ratios.
 *
 * <p>Data (seed S, default 24): partition p of P (default 2⌈n / 2·10⁶⌉, {@code --partitions}) holds rows ⌊n p/P⌋ … ⌊n (p+1)/P⌋ − 1, drawn from
 * {@code Rng.of(S, p + 1)}: x_ij ~ N(0, 1), y_i ~ Bernoulli(σ(x_i·w*)) with w* ~ N(0, 1/d) from
 * {@code Rng.of(S, 0)}. The local engine gets the same rows, generated on the driver.
 *
 * <p>Options: {@code --rows 10000,100000,...} {@code --dims 20,100} {@code --particles N} (50)
 * {@code --reps R} (5) {@code --partitions P} {@code --sequential} (all local runs, then all Spark runs, so that only one
 * engine's copy of the data is in memory: for the largest sizes) {@code --master URL} (local[2]) {@code --seed S} {@code --out DIR}.
 */
public final class EngineBench {
    private EngineBench() {}

    public static void main(String[] args) throws IOException {
        long[] rows = {10_000, 100_000, 1_000_000, 10_000_000};
        int[] dims = {20, 100};
        int particles = 50, reps = 5;
        Integer fixedPartitions = null;
        boolean sequential = false;
        long seed = 24;
        String master = "local[2]";
        Path out = Path.of("docs/results/spark-bench");
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--sequential")) { sequential = true; i--; continue; }
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) usage("option " + args[i] + " needs a value");
            switch (args[i]) {
                case "--rows" -> rows = Arrays.stream(v.split(",")).mapToLong(s -> (long) Double.parseDouble(s)).toArray();
                case "--dims" -> dims = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--particles" -> particles = Integer.parseInt(v);
                case "--reps" -> reps = Integer.parseInt(v);
                case "--master" -> master = v;
                case "--seed" -> seed = Long.parseLong(v);
                case "--partitions" -> fixedPartitions = Integer.parseInt(v);
                case "--out" -> out = Path.of(v);
                default -> usage("unknown option " + args[i] + " (known: --rows --dims --particles --reps --partitions --sequential --master --seed --out)");
            }
        }
        Files.createDirectories(out);
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(SparkEngine.session(master).sparkContext());
        List<String> raw = new ArrayList<>(List.of("rows,dims,particles,partitions,rep,engine,seconds"));
        List<String> summary = new ArrayList<>(List.of(
                "rows,dims,particles,partitions,local1_s,local2_s,spark_s,spark_over_local1,spark_over_local2,local1_rows_per_s_per_core,spark_rows_per_s_per_core,spark_overhead_s"));
        Backend one = Backends.create("simd", 1), two = Backends.create("simd", 2);
        for (int d : dims) for (long n : rows) {
            // rows, design and its transpose for each engine (one at a time with --sequential), and the local engine's N×n intermediates (logits, σ terms)
            double bytes = n * d * 8.0 * (sequential ? 3 : 6) + n * (double) particles * 8 * 4;
            if (bytes > 0.9 * Runtime.getRuntime().maxMemory()) {
                System.err.printf("spark-bench: skipping n=%d d=%d N=%d: about %.1f GB, more than the heap allows (%.1f GB)%n", n, d, particles, bytes / 1e9, Runtime.getRuntime().maxMemory() / 1e9);
                continue;
            }
            // about 10^6 rows a partition (an even count, for the 2 cores of local[2]): bounds a task's N×n_p intermediates
            int partitions = fixedPartitions != null ? fixedPartitions : (int) (2 * Math.ceil(n / 2e6));
            Tensor x = Rng.of(seed, 99).normal(DType.F64, particles, d);
            double[][] t = new double[3][reps];
            if (sequential) {   // one engine's data in memory at a time: all local runs, then all Spark runs
                {
                    LogisticRegression local = LogisticRegression.of("synthetic-lr", concat(n, d, partitions, seed));
                    for (int w = 0; w < 2; w++) { Kernels.with(one, () -> local.scoreValue(x)); Kernels.with(two, () -> local.scoreValue(x)); }
                    for (int r = 0; r < reps; r++) {
                        t[0][r] = time(() -> Kernels.with(one, () -> local.scoreValue(x)));
                        t[1][r] = time(() -> Kernels.with(two, () -> local.scoreValue(x)));
                    }
                }
                System.gc();
                SparkTarget remote = remote(spark, seed, n, d, partitions);
                for (int w = 0; w < 2; w++) remote.scoreValue(x);
                for (int r = 0; r < reps; r++) t[2][r] = time(() -> remote.scoreValue(x));
                remote.unpersist();
            } else {
                LogisticRegression local = LogisticRegression.of("synthetic-lr", concat(n, d, partitions, seed));
                SparkTarget remote = remote(spark, seed, n, d, partitions);
                // warm-up: JIT, the executors' cached likelihoods and the local target's design copies
                for (int w = 0; w < 2; w++) { Kernels.with(one, () -> local.scoreValue(x)); Kernels.with(two, () -> local.scoreValue(x)); remote.scoreValue(x); }
                for (int r = 0; r < reps; r++) {
                    t[0][r] = time(() -> Kernels.with(one, () -> local.scoreValue(x)));
                    t[1][r] = time(() -> Kernels.with(two, () -> local.scoreValue(x)));
                    t[2][r] = time(() -> remote.scoreValue(x));
                }
                remote.unpersist();
            }
            for (int r = 0; r < reps; r++)
                for (int e = 0; e < 3; e++) raw.add(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%s,%.6f", n, d, particles, partitions, r, List.of("local1", "local2", "spark").get(e), t[e][r]));
            double l1 = median(t[0]), l2 = median(t[1]), sp = median(t[2]);
            // Spark runs 2 cores: its compute share is about l1/2, the rest is overhead (scheduling, broadcast, reduce)
            summary.add(String.format(Locale.ROOT, "%d,%d,%d,%d,%.6f,%.6f,%.6f,%.3f,%.3f,%.4g,%.4g,%.6f", n, d, particles, partitions, l1, l2, sp, sp / l1, sp / l2,
                    n * particles / l1, n * particles / (2 * sp), sp - l1 / 2));
            System.err.println("spark-bench: " + summary.getLast());
            Files.write(out.resolve("steps.csv"), raw);
            Files.write(out.resolve("summary.csv"), summary);
        }
    }

    /** The synthetic rows generated on the executors; the driver keeps only names, prior and row model (one zero row). */
    private static SparkTarget remote(JavaSparkContext spark, long seed, long n, int d, int partitions) {
        JavaRDD<Block> blocks = spark.parallelize(rangeList(partitions), partitions).map(p -> block(seed, p, n, d, partitions));
        List<String> names = new ArrayList<>();
        for (int j = 1; j <= d; j++) names.add("x" + j);
        LogisticRegression shape = LogisticRegression.of("synthetic-lr", new LogisticRegression.Data(new double[][] {new double[d]}, new double[1], new double[0][], new double[0], names));
        return SparkTarget.of(spark, blocks, shape.rowModel(), shape, shape.prior(), 0);
    }

    private static void usage(String message) {
        System.err.println("sivi spark-bench: " + message);
        System.exit(2);
    }

    private static List<Integer> rangeList(int p) { List<Integer> l = new ArrayList<>(); for (int i = 0; i < p; i++) l.add(i); return l; }

    /** Partition p of the synthetic data set (see the class comment). */
    static Block block(long seed, int p, long n, int d, int partitions) {
        int from = (int) (n * p / partitions), to = (int) (n * (p + 1) / partitions);
        double[] w = Rng.of(seed, 0).normal(DType.F64, d).toDoubleArray();
        Rng rng = Rng.of(seed, p + 1);
        double[][] x = new double[to - from][d];
        double[] y = new double[to - from];
        for (int i = 0; i < x.length; i++) {
            double eta = 0;
            for (int j = 0; j < d; j++) { x[i][j] = rng.nextGaussian(); eta += x[i][j] * w[j] / Math.sqrt(d); }
            y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
        }
        return new Block(p, x, y);
    }

    /** The same rows on the driver, as a data set for the local engine. */
    static LogisticRegression.Data concat(long n, int d, int partitions, long seed) {
        double[][] x = new double[(int) n][];
        double[] y = new double[(int) n];
        int at = 0;
        for (int p = 0; p < partitions; p++) {
            Block b = block(seed, p, n, d, partitions);
            for (int i = 0; i < b.rows(); i++, at++) { x[at] = b.x[i]; y[at] = b.y[i]; }
        }
        List<String> names = new ArrayList<>();
        for (int j = 1; j <= d; j++) names.add("x" + j);
        return new LogisticRegression.Data(x, y, new double[0][], new double[0], names);
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
