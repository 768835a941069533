package sivi.targets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import sivi.autodiff.Var;
import sivi.data.Csv;
import sivi.data.DataException;
import sivi.data.Split;
import sivi.data.Standardizer;
import sivi.data.Table;
import sivi.kernels.Backend;
import sivi.kernels.Binary;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.metrics.Predictive;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Bayesian logistic regression (SIVI {@code SIVI_LR.py}, KSIVI {@code LRwaveform}; see
 * docs/targets.md#lr-waveform): weights w ∈ R^p, prior w ~ N(0, α⁻¹ I) with α = 0.01
 * (variance 100), labels y_i ~ Bernoulli(σ(η_i)), η_i = w·x_i, σ the logistic function. The
 * unnormalised log posterior of a weight vector, over a set B of training rows with weight
 * s = n/|B| (s = 1 for the full data set, the default):
 * <pre>
 *   log p(w) = s Σ_{i∈B} ( y_i η_i − softplus(η_i) ) − (α/2) ‖w‖²
 * </pre>
 * (y η − softplus(η) = log σ(η) for y = 1 and log(1 − σ(η)) for y = 0, written without overflow).
 * Batched over N weight vectors W (N×p) the predictors are one GEMM, H = W Xᵀ (N×n).
 * Analytic score and Hessian-vector product, again GEMMs:
 * <pre>
 *   ∇ log p(w)   = s Σ_i (y_i − σ(η_i)) x_i − α w            (rows: s (Y − σ(H)) X − α W)
 *   H(w) v       = −s Xᵀ diag(σ(η)(1 − σ(η))) X v − α v      (rows: −s (σ'(H) ∘ (V Xᵀ)) X − α V)
 * </pre>
 * {@link #batch} returns the view on B distinct rows ({@link DataBatches}: epoch by epoch without replacement)
 * with s = n/B, so that E[log p_B(w)] = log p(w) exactly (each row is included with probability B/n).
 *
 * <p>Data are loaded lazily, on the first use of anything but {@link #name()}, and parsed built-in
 * data sets are cached per JVM, so that the registry can create instances cheaply.
 *
 * <p>Built-in data sets: {@code lr-waveform} is the exact split of the SIVI/SIVI-SM/KSIVI papers
 * (400 training, 4600 test rows; columns intercept, x1..x21 already standardised over all 5000 rows;
 * used as shipped). The others ({@code lr-wdbc}, {@code lr-german}, {@code lr-sonar},
 * {@code lr-ionosphere}, {@code lr-pima}) use a seeded 80/20 split
 * ({@code Split.fraction(n, 0.2, new Rng(SPLIT_SEED))}), standardise the features with the
 * training rows' means and sds ({@link Standardizer}), and prepend an intercept column. Label
 * coding as in {@code sivi/data/README.md}: the "positive"/event class is 1.
 */
public final class LogisticRegression implements RowTarget {
    /** Prior precision α of the papers (prior variance 100). */
    public static final double ALPHA = 0.01;
    /** Seed of the 80/20 split of the built-in UCI sets and the default of {@link #fromCsv}. */
    public static final long SPLIT_SEED = 20240;
    /** Default test fraction of the seeded splits. */
    public static final double TEST_FRACTION = 0.2;

    /**
     * A prepared data set: the design matrices already hold the intercept column and standardised
     * features; labels are 0/1.
     *
     * @param x     training design [n][p]
     * @param y     training labels [n]
     * @param testX test design [m][p] (m may be 0)
     * @param testY test labels [m]
     * @param names the p parameter names
     */
    public record Data(double[][] x, double[] y, double[][] testX, double[] testY, List<String> names) {
        public Data {
            if (x.length == 0) throw new DataException("logistic regression: no training rows");
            if (y.length != x.length || testY.length != testX.length) throw new IllegalArgumentException("design and label lengths differ");
            if (names.size() != x[0].length) throw new IllegalArgumentException(names.size() + " names for " + x[0].length + " columns");
            names = List.copyOf(names);
        }
    }

    private static final Map<String, Data> BUILT_IN = new ConcurrentHashMap<>();

    private final String name;
    private final Supplier<Data> source;
    private final double alpha;
    private final int batchSize;      // rows per minibatch (n = full batch)
    private final int[] rows;         // null: all training rows; else the rows of this minibatch view
    private final double weight;      // s, the likelihood scale n/|B|
    private volatile DataBatches batches;   // the epoch permutations (batched targets only)
    private volatile Data data;
    private volatile Tensor design, labels; // F64: |B|×p and 1×|B|
    private volatile Tensor designF32, labelsF32; // their F32 copies, made on first use
    private volatile Tensor designT, designTF32; // p×|B| row-major: w·Xᵀ then packs B by row copies, not a strided gather

    private LogisticRegression(String name, Supplier<Data> source, double alpha, int batchSize, int[] rows, double weight) {
        if (!(alpha >= 0)) throw new IllegalArgumentException("prior precision must be positive, got " + alpha);   // 0: the likelihood alone (rowModel)
        this.name = name; this.source = source; this.alpha = alpha; this.batchSize = batchSize; this.rows = rows; this.weight = weight;
    }

    /** A full-batch target over prepared data, prior precision {@link #ALPHA}. */
    public static LogisticRegression of(String name, Data data) {
        return new LogisticRegression(name, () -> data, ALPHA, 0, null, 1);
    }

    /** The same target with minibatches of {@code b} rows (b ≥ n means full batch). */
    public LogisticRegression withBatchSize(int b) {
        if (b < 1) throw new IllegalArgumentException("batch size must be positive, got " + b);
        return new LogisticRegression(name, source, alpha, b, null, 1);
    }

    /** The same target with another prior precision α. */
    public LogisticRegression withPriorPrecision(double a) {
        if (!(a > 0)) throw new IllegalArgumentException("prior precision must be positive, got " + a);
        return new LogisticRegression(name, source, a, batchSize, null, 1); }

    /** A built-in data set by target name ("lr-waveform", "lr-wdbc", ...), loaded on first use. */
    public static LogisticRegression builtIn(String name) {
        if (!List.of("lr-waveform", "lr-wdbc", "lr-german", "lr-sonar", "lr-ionosphere", "lr-pima").contains(name))
            throw new IllegalArgumentException("no built-in logistic regression data set '" + name + "'");
        return new LogisticRegression(name, () -> BUILT_IN.computeIfAbsent(name, LogisticRegression::load), ALPHA, 0, null, 1);
    }

    /**
     * User data ({@code lr-csv}): a CSV file with a header, the response column holding 0/1. The
     * other columns are the features, split 80/20 with {@link #SPLIT_SEED}, standardised with the
     * training statistics, plus an intercept. The file is read at once, so errors surface here.
     */
    public static LogisticRegression fromCsv(Path path, String response) { return fromCsv(path, response, TEST_FRACTION, SPLIT_SEED); }

    /** As {@link #fromCsv(Path, String)} with a given test fraction (0 for none) and split seed. */
    public static LogisticRegression fromCsv(Path path, String response, double testFraction, long seed) {
        Table t = Csv.read(path);
        Data d = prepare(t, t.columnIndex(response), true, testFraction, seed);
        return of("lr-csv", d);
    }

    /**
     * As {@link #fromCsv(Path, String)} for a text response: {@code zeroLabel} maps to 0 and
     * {@code oneLabel} to 1 (any other value is a {@link DataException} naming file, line, column).
     */
    public static LogisticRegression fromCsv(Path path, String response, String zeroLabel, String oneLabel) {
        Table t = Csv.withHeader().label(response, zeroLabel, oneLabel).readFile(path);
        return of("lr-csv", prepare(t, t.columnIndex(response), true, TEST_FRACTION, SPLIT_SEED));
    }

    private static Data load(String name) {
        return switch (name) {
            case "lr-waveform" -> {
                Table train = Csv.read("sivi/data/waveform_sivi_train.csv"), test = Csv.read("sivi/data/waveform_sivi_test.csv");
                int r = train.columnIndex("y");
                yield new Data(train.featuresExcept(r), labels(train, r), test.featuresExcept(test.columnIndex("y")),
                        labels(test, test.columnIndex("y")), train.featureNames(r));
            }
            case "lr-wdbc" -> {
                Table t = Csv.withoutHeader().readResource("sivi/data/wdbc.csv");
                yield prepare(t, t.columnCount() - 1, false, TEST_FRACTION, SPLIT_SEED);
            }
            case "lr-german" -> labelled("german_credit.csv", "Class", "Good", "Bad");
            case "lr-sonar" -> labelled("sonar.csv", "Class", "R", "M");
            case "lr-ionosphere" -> labelled("ionosphere.csv", "Class", "bad", "good");
            case "lr-pima" -> labelled("pima.csv", "diabetes", "neg", "pos");
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Data labelled(String file, String column, String zero, String one) {
        Table t = Csv.withHeader().label(column, zero, one).readResource("sivi/data/" + file);
        return prepare(t, t.columnIndex(column), true, TEST_FRACTION, SPLIT_SEED);
    }

    /**
     * Seeded split, training-row standardisation, intercept first. Feature names are the header
     * names, or x1..xk when the file had none.
     */
    static Data prepare(Table t, int response, boolean headerNames, double testFraction, long seed) {
        double[] y = labels(t, response);
        double[][] x = t.featuresExcept(response);
        Split split = Split.fraction(t.rowCount(), testFraction, new Rng(seed));
        double[][] trainX = pick(x, split.train()), testX = pick(x, split.test());
        Standardizer st = Standardizer.fit(trainX);
        List<String> names = new ArrayList<>();
        names.add("intercept");
        List<String> features = t.featureNames(response);
        for (int k = 0; k < features.size(); k++) names.add(headerNames ? features.get(k) : "x" + (k + 1));
        return new Data(withIntercept(st.apply(trainX)), pickY(y, split.train()), withIntercept(testX.length == 0 ? testX : st.apply(testX)),
                pickY(y, split.test()), names);
    }

    private static double[] labels(Table t, int column) {
        double[] y = t.column(column);
        for (int r = 0; r < y.length; r++)
            if (y[r] != 0 && y[r] != 1)
                throw new DataException(t.source() + ": data row " + (r + 1) + ", column " + (column + 1) + " (" + t.columns().get(column)
                        + "): response " + y[r] + " is not 0 or 1");
        return y;
    }

    private static double[][] pick(double[][] x, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int k = 0; k < idx.length; k++) out[k] = x[idx[k]];
        return out;
    }

    private static double[] pickY(double[] y, int[] idx) {
        double[] out = new double[idx.length];
        for (int k = 0; k < idx.length; k++) out[k] = y[idx[k]];
        return out;
    }

    private static double[][] withIntercept(double[][] x) {
        double[][] out = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            out[r] = new double[x[r].length + 1];
            out[r][0] = 1;
            System.arraycopy(x[r], 0, out[r], 1, x[r].length);
        }
        return out;
    }

    // ---------------------------------------------------------------- data access

    /** The prepared data set (loads it on first use). */
    public Data data() {
        Data d = data;
        if (d == null) data = d = source.get();
        return d;
    }

    private Tensor design() {
        if (design == null) {
            double[][] x = rows == null ? data().x() : pick(data().x(), rows);
            design = Tensor.matrix(x);
        }
        return design;
    }

    /** The design matrix in dtype dt, the F32 copy made once (scores and HVPs run every iteration). */
    private Tensor design(DType dt) {
        if (dt == DType.F64) return design();
        Tensor c = designF32;
        if (c == null) designF32 = c = design().cast(dt);
        return c;
    }

    /** Xᵀ (p×|B|, contiguous) in dtype dt, made once. */
    private Tensor designT(DType dt) {
        Tensor c = dt == DType.F64 ? designT : designTF32;
        if (c == null) {
            c = design(dt).transpose(0, 1).contiguous();
            if (dt == DType.F64) designT = c; else designTF32 = c;
        }
        return c;
    }

    /** The label row in dtype dt, the F32 copy made once. */
    private Tensor labelRow(DType dt) {
        if (dt == DType.F64) return labelRow();
        Tensor c = labelsF32;
        if (c == null) labelsF32 = c = labelRow().cast(dt);
        return c;
    }

    private Tensor labelRow() {
        if (labels == null) {
            double[] y = rows == null ? data().y() : pickY(data().y(), rows);
            labels = Tensor.of(DType.F64, y, 1, y.length);
        }
        return labels;
    }

    public int trainSize() { return data().x().length; }

    /** The likelihood scale s = n/|B| of this view (1 for the full data set). */
    public double likelihoodScale() { return weight; }

    public double priorPrecision() { return alpha; }

    /** Test design [m][p] (copies). */
    public double[][] testX() {
        double[][] t = data().testX(), out = new double[t.length][];
        for (int r = 0; r < t.length; r++) out[r] = t[r].clone();
        return out;
    }

    public double[] testY() { return data().testY().clone(); }

    /**
     * Test metrics of posterior draws [S][p]: the papers' mean over test points of
     * log((1/S) Σ_s p(y_i | x_i, w_s)), and the accuracy of the predictive probability.
     */
    public Predictive.Classification testMetrics(double[][] draws) {
        if (data().testX().length == 0) throw new IllegalStateException(name + ": no test rows");
        return Predictive.logistic(data().testX(), data().testY(), draws);
    }

    public double testLogLikelihood(double[][] draws) { return testMetrics(draws).logLikelihood(); }

    public double testAccuracy(double[][] draws) { return testMetrics(draws).accuracy(); }

    // ---------------------------------------------------------------- Target

    @Override public String name() { return name; }
    @Override public int dim() { return data().names().size(); }
    @Override public List<String> names() { return data().names(); }
    @Override public boolean isNormalised() { return false; }

    @Override public Var logDensity(Var w) {
        DType dt = w.dtype();
        Var eta = matmul(w, constant(design(dt)), false, true);                          // N×|B|
        Var ll = sum(sub(mul(eta, constant(labelRow(dt))), softplus(eta)), 1, false);     // N
        return add(scale(ll, weight), priorTerm(w, alpha));
    }

    /** −(α/2)‖w‖² per row. */
    private static Var priorTerm(Var w, double alpha) { return scale(sum(square(w), 1, false), -alpha / 2); }

    // ---------------------------------------------------------------- RowTarget (data engines)

    /** The likelihood on given rows: this model with α = 0 (so score and HVP are the same code). */
    private record Rows(String name, List<String> names) implements RowModel {
        @Override public Target likelihood(double[][] x, double[] y, double scale) {
            Data d = new Data(x, y, new double[0][], new double[0], names);
            return new LogisticRegression(name, () -> d, 0, 0, null, scale);
        }
    }

    @Override public RowModel rowModel() { return new Rows(name, names()); }
    @Override public double[][] rowsX() { requireAllRows(); return data().x(); }
    @Override public double[] rowsY() { requireAllRows(); return data().y(); }
    @Override public int dataBatch() { return batchSize; }

    @Override public Target prior() {
        double a = alpha;
        return Target.of(name + ".prior", dim(), w -> priorTerm(w, a));
    }

    private void requireAllRows() {
        if (rows != null || weight != 1) throw new IllegalStateException(name + ": a minibatch view has no rows of its own to distribute");
    }

    @Override public Tensor scoreValue(Tensor w) { return scoreWithCache(w).score(); }

    /** The score, and the curvature σ(1 − σ) of σ(w·Xᵀ) (N×|B|) as the cache: the HVP at the same w needs it. */
    @Override public ScoreWithCache scoreWithCache(Tensor w) {
        Backend k = Kernels.current();
        Tensor x = design(w.dtype());
        Tensor[] terms = k.logisticScore(w, designT(w.dtype()), labelRow(w.dtype()), x);   // {(y − σ)·X, σ(1 − σ)}, fused
        return new ScoreWithCache(k.binary(Binary.SUB, k.affine(terms[0], weight, 0), k.affine(w, alpha, 0)), terms[1]);
    }

    private Tensor[] logisticTerms(Backend k, Tensor w) {
        return k.logisticTerms(w, designT(w.dtype()), labelRow(w.dtype()));     // of the logits w·Xᵀ, fused
    }

    @Override public Tensor hvpValue(Tensor w, Tensor v) { return hvpValue(w, v, null); }

    @Override public Tensor hvpValue(Tensor w, Tensor v, Object cache) {
        Backend k = Kernels.current();
        Tensor x = design(w.dtype()), xt = designT(w.dtype());
        Tensor curv = cache instanceof Tensor t && t.dtype() == w.dtype() ? t : logisticTerms(k, w)[1];   // σ(1−σ), N×|B|
        Tensor xv = k.matmulTimesMatmul(v, xt, curv, x);                                                   // ((v·Xᵀ) ⊙ σ(1−σ))·X, fused
        return k.binary(Binary.SUB, k.affine(xv, -weight, 0), k.affine(v, alpha, 0));
    }

    /** Full batch (the default, as in the papers): this target. Otherwise B rows per iteration, scale n/B. */
    @Override public Target withDataBatch(int b) { return withBatchSize(b); }

    @Override public Target batch(long seed, long iteration) {
        int n = trainSize();
        if (batchSize == 0 || batchSize >= n || rows != null) return this;
        DataBatches d = batches;
        if (d == null) batches = d = new DataBatches(n, batchSize);
        return subset(d.rows(seed, iteration));
    }

    /** The view on the given training rows with likelihood scale n/|rows|. */
    LogisticRegression subset(int[] batch) {
        LogisticRegression v = new LogisticRegression(name, source, alpha, batchSize, batch.clone(), (double) trainSize() / batch.length);
        v.data = data();
        return v;
    }
}
