package sivi.targets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import sivi.autodiff.Var;
import sivi.data.Csv;
import sivi.data.DataException;
import sivi.data.NumpyPermutation;
import sivi.data.Standardizer;
import sivi.data.Table;
import sivi.kernels.Activation;
import sivi.kernels.Backend;
import sivi.kernels.Binary;
import sivi.kernels.Kernels;
import sivi.metrics.Predictive;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Bayesian neural network regression as in KSIVI {@code sivistein_bnn.py} / SIVI-SM
 * {@code sivism_bnn.py} (after SVGD, Liu &amp; Wang 2016, and Hernández-Lobato &amp; Adams 2015); see
 * docs/targets.md#bnn. One hidden layer of H = 50 ReLU units,
 * f(x; θ) = relu(x W1 + b1) W2 + b2, with θ = (W1 d×H row-major, b1 H, W2 H, b2 1), dimension
 * D = (d+1)·H + H + 1 (Boston: 751). Precisions are fixed: λ = exp(logλ) for the prior on every
 * weight, γ = exp(logγ) for the Gaussian noise on the standardised response. Unnormalised log
 * posterior over a set B of training rows with weight s = n/|B|:
 * <pre>
 *   log p(θ) = s Σ_{i∈B} [ ½(logγ − log 2π) − (γ/2)(y_i − f(x_i; θ))² ] + ½D(logλ − log 2π) − (λ/2)‖θ‖²
 * </pre>
 * The log density is batched without a per-sample loop: the N first-layer weight matrices are laid
 * side by side (d × N·H), so the hidden layers of all samples are one GEMM X·[W1_1 … W1_N] (n × N·H).
 * Score and HVP are in closed form (the backend's fused {@code reluNetGradient}; relu'' = 0, so the HVP is exact away
 * from the kinks), checked against the autodiff of this log density.
 *
 * <p>Data: split as the reference: a test fraction of 10% (test size ⌈0.1 n⌉ as sklearn's
 * {@code train_test_split(test_size=0.1)}), then the last min(round(0.1·n_train), 500) rows of the
 * (shuffled) training part form the dev set and are removed from training. The rows are the
 * papers' own: the reference shuffles with sklearn's {@code train_test_split(random_state=42)}, i.e.
 * numpy's {@code RandomState(42).permutation(n)}, which {@link NumpyPermutation} reproduces (test
 * first, then train, then dev). X and y are standardised with the training rows' mean and sd
 * ({@link Standardizer}: sd with denominator n − 1, as the reference's torch {@code std(0)}).
 * Minibatches of B = 100 rows, epoch by epoch without replacement ({@link DataBatches}), with s = n/B ({@link #batch}).
 *
 * <p>Test metrics ({@link #testMetrics}): predictions ŷ_s = f(x; θ_s)·sd_y + mean_y on the original
 * scale; RMSE of the mean prediction (1/S)Σ_s ŷ_s, and the log-likelihood
 * (1/m)Σ_i log (1/S)Σ_s N(y_i; ŷ_s(x_i), 1/γ). NOTE: the reference evaluates this density on the
 * original scale with the precision γ fitted for the standardised scale (the consistent choice
 * would be variance sd_y²/γ); we reproduce the quirk so that the numbers compare with the papers'
 * tables, and offer the consistent value as {@link #testLogLikelihoodRescaled}.
 */
public final class BnnRegression implements RowTarget, WarmStart {
    public static final int HIDDEN = 50;
    public static final int BATCH = 100;
    public static final long SPLIT_SEED = 42;

    /**
     * A prepared data set.
     *
     * @param x      standardised training inputs [n][d]
     * @param y      standardised training responses [n]
     * @param testX  standardised test inputs [m][d]
     * @param testY  test responses on the original scale [m]
     * @param yMean  training mean of y
     * @param ySd    training sd of y
     * @param devSize number of dev rows removed from training
     * @param features feature names (d)
     * @param devX   standardised dev inputs [devSize][d]
     * @param devY   dev responses on the original scale [devSize]
     */
    public record Data(double[][] x, double[] y, double[][] testX, double[] testY, double yMean, double ySd, int devSize, List<String> features,
                       double[][] devX, double[] devY) {
        public Data { features = List.copyOf(features); }
    }

    private static final Map<String, Data> BUILT_IN = new ConcurrentHashMap<>();

    private final String name;
    private final Supplier<Data> source;
    private final double logLambda, logGamma;
    private final int batchSize;
    private final int[] rows;
    private final double weight;
    private volatile DataBatches batches;   // the epoch permutations
    private final boolean withPrior;  // false: the likelihood alone (rowModel)
    private volatile Data data;
    private volatile Tensor design, response; // |B|×d and |B|×1, F64

    private BnnRegression(String name, Supplier<Data> source, double logLambda, double logGamma, int batchSize, int[] rows, double weight) {
        this(name, source, logLambda, logGamma, batchSize, rows, weight, true);
    }

    private BnnRegression(String name, Supplier<Data> source, double logLambda, double logGamma, int batchSize, int[] rows, double weight, boolean withPrior) {
        this.name = name; this.source = source; this.logLambda = logLambda; this.logGamma = logGamma;
        this.batchSize = batchSize; this.rows = rows; this.weight = weight; this.withPrior = withPrior;
    }

    /**
     * bnn-boston (log λ = −1.00387, log γ = −2.55599, KSIVI's script), bnn-boston-sm (the same data with SIVI-SM's
     * script's −0.98093, −2.55157) and bnn-concrete (−0.81407, −3.44982, KSIVI's).
     */
    public static BnnRegression builtIn(String name) {
        return switch (name) {
            case "bnn-boston" -> lazy(name, "boston_housing.csv", -1.003869799168037, -2.555990767319021);
            case "bnn-boston-sm" -> lazy(name, "boston_housing.csv", -0.9809319716071633, -2.55156665423909);
            case "bnn-concrete" -> lazy(name, "concrete.csv", -0.814071878103707, -3.449819990147337);
            default -> throw new IllegalArgumentException("no built-in BNN data set '" + name + "'");
        };
    }

    private static BnnRegression lazy(String name, String file, double logLambda, double logGamma) {
        return new BnnRegression(name, () -> BUILT_IN.computeIfAbsent(file, k -> {   // one prepared copy per data file
            Table t = Csv.read("sivi/data/" + file);
            return prepare(t, t.columnCount() - 1, SPLIT_SEED);
        }), logLambda, logGamma, BATCH, null, 1);
    }

    /**
     * User data ({@code bnn-csv}): a CSV with a header and a numeric response column; the other
     * columns are inputs. Fixed log λ, log γ must be given (the papers took them from SVGD runs).
     */
    public static BnnRegression fromCsv(Path path, String response, double logLambda, double logGamma) {
        Table t = Csv.read(path);
        Data d = prepare(t, t.columnIndex(response), SPLIT_SEED);
        return new BnnRegression("bnn-csv", () -> d, logLambda, logGamma, BATCH, null, 1);
    }

    static Data prepare(Table t, int response, long seed) {
        int n = t.rowCount();
        int nTest = (int) Math.ceil(0.1 * n);
        int[] perm = NumpyPermutation.of(n, seed);
        int nTrainAll = n - nTest;
        int nDev = (int) Math.min(Math.round(0.1 * nTrainAll), 500);
        int nTrain = nTrainAll - nDev;
        if (nTrain < 2 || nTest < 1) throw new DataException(t.source() + ": " + n + " rows are too few for a 90/10 split with a dev set");
        int[] test = Arrays.copyOfRange(perm, 0, nTest), train = Arrays.copyOfRange(perm, nTest, nTest + nTrain);
        double[][] x = t.featuresExcept(response);
        double[] y = t.column(response);
        double[][] trainX = new double[nTrain][], testX = new double[nTest][];
        double[][] trainY = new double[nTrain][1];
        double[] testY = new double[nTest];
        for (int k = 0; k < nTrain; k++) { trainX[k] = x[train[k]]; trainY[k][0] = y[train[k]]; }
        for (int k = 0; k < nTest; k++) { testX[k] = x[test[k]]; testY[k] = y[test[k]]; }
        Standardizer sx = Standardizer.fit(trainX), sy = Standardizer.fit(trainY);
        double[] ys = new double[nTrain];
        for (int k = 0; k < nTrain; k++) ys[k] = sy.apply(trainY[k])[0];
        double[][] devX = new double[nDev][];
        double[] devY = new double[nDev];
        for (int k = 0; k < nDev; k++) { devX[k] = x[perm[nTest + nTrain + k]]; devY[k] = y[perm[nTest + nTrain + k]]; }
        return new Data(sx.apply(trainX), ys, sx.apply(testX), testY, sy.mean()[0], sy.sd()[0], nDev, t.featureNames(response),
                nDev == 0 ? new double[0][] : sx.apply(devX), devY);
    }

    public Data data() {
        Data d = data;
        if (d == null) data = d = source.get();
        return d;
    }

    private int inputs() { return data().x()[0].length; }

    private Tensor design() {
        if (design == null) {
            double[][] x = data().x();
            if (rows != null) { double[][] s = new double[rows.length][]; for (int k = 0; k < rows.length; k++) s[k] = x[rows[k]]; x = s; }
            design = Tensor.matrix(x);
        }
        return design;
    }

    private Tensor response() {
        if (response == null) {
            double[] y = data().y();
            if (rows != null) { double[] s = new double[rows.length]; for (int k = 0; k < rows.length; k++) s[k] = y[rows[k]]; y = s; }
            response = Tensor.of(DType.F64, y, y.length, 1);
        }
        return response;
    }

    public double logLambda() { return logLambda; }
    public double logGamma() { return logGamma; }
    public int trainSize() { return data().x().length; }
    public double likelihoodScale() { return weight; }

    /** The same target with another minibatch size (≥ n: full batch). */
    public BnnRegression withBatchSize(int b) {
        if (b < 1) throw new IllegalArgumentException("batch size must be positive, got " + b);
        return new BnnRegression(name, source, logLambda, logGamma, b, null, 1);
    }

    @Override public String name() { return name; }
    @Override public int dim() { return (inputs() + 1) * HIDDEN + HIDDEN + 1; }
    @Override public boolean isNormalised() { return false; }

    @Override public List<String> names() {
        int d = inputs();
        List<String> out = new ArrayList<>(dim());
        for (int k = 0; k < d; k++) for (int j = 0; j < HIDDEN; j++) out.add("W1[" + k + "," + j + "]");
        for (int j = 0; j < HIDDEN; j++) out.add("b1[" + j + "]");
        for (int j = 0; j < HIDDEN; j++) out.add("W2[" + j + "]");
        out.add("b2");
        return out;
    }

    @Override public Var logDensity(Var theta) {
        DType dt = theta.dtype();
        Tensor x = design().cast(dt);
        int rowsB = x.dim(0);
        Var out = forward(theta, x);                                                       // |B| × N
        Var sse = sum(square(sub(out, constant(response().cast(dt)))), 0, false);         // N
        double gamma = Math.exp(logGamma), log2pi = Math.log(2 * Math.PI);
        Var like = addScalar(scale(sse, -weight * gamma / 2), weight * rowsB * 0.5 * (logGamma - log2pi));
        return withPrior ? add(like, priorTerm(theta, logLambda)) : like;
    }

    /**
     * Closed form: the likelihood's part is the backend's {@code reluNetGradient} (one forward and one backward pass
     * per draw; relu'' = 0, so the HVP is exact away from the kinks) with scale c = (n/|B|)·γ, then the prior's −λθ
     * (−λv). The autodiff of {@link #logDensity} is the oracle (TargetContractTest, BnnRegressionTest).
     */
    @Override public Tensor scoreValue(Tensor theta) { return gradient(theta, null); }

    @Override public Tensor hvpValue(Tensor theta, Tensor v) { return gradient(theta, v); }

    private Tensor gradient(Tensor theta, Tensor v) {
        DType dt = theta.dtype();
        Backend k = Kernels.current();
        Tensor like = k.reluNetGradient(design().cast(dt), response().cast(dt), theta, v, HIDDEN, weight * Math.exp(logGamma));
        return withPrior ? k.binary(Binary.SUB, like, k.affine(v == null ? theta : v, Math.exp(logLambda), 0)) : like;
    }

    /** The network's outputs f(x_i; θ_s) on the standardised scale, rows × N, for the N draws θ [N][D] and inputs x [rows][d]. */
    private Var forward(Var theta, Tensor x) {
        int n = theta.dim(0), d = inputs(), h = HIDDEN, dh = d * h, dim = dim();
        int rowsB = x.dim(0);
        // first layers of all samples side by side: W1 (N, d, H) -> (d, N, H) -> d × N·H
        Var w1 = reshape(permute(reshape(slice(theta, 1, 0, dh), n, d, h), 1, 0, 2), d, n * h);
        Var b1 = reshape(slice(theta, 1, dh, dh + h), 1, n * h);
        Var hidden = reshape(dense(Activation.RELU, constant(x), w1, b1), rowsB, n, h);   // |B| × N × H
        Var w2 = reshape(slice(theta, 1, dh + h, dh + 2 * h), 1, n, h);
        Var b2 = reshape(slice(theta, 1, dim - 1, dim), 1, n);
        return add(sum(mul(hidden, w2), 2, false), b2);
    }

    /**
     * The reference scripts' warm start: the mean squared error, on the original scale, of the draws' mean prediction
     * (1/N)Σ_s f(x_i; θ_s)·sd_y + mean_y against y_i over the dev rows, or over the {@code step}-th block of
     * {@link #BATCH} training rows in order (cyclic).
     */
    @Override public Var warmStartLoss(Var draws, boolean trainRows, int step) {
        Data dd = data();
        double[][] x;
        double[] y;
        if (trainRows) {
            int n = dd.x().length;
            x = new double[BATCH][];
            y = new double[BATCH];
            for (int k = 0; k < BATCH; k++) {
                int r = (int) (((long) step * BATCH + k) % n);
                x[k] = dd.x()[r];
                y[k] = dd.y()[r] * dd.ySd() + dd.yMean();
            }
        } else {
            if (dd.devSize() == 0) throw new IllegalStateException(name + ": no dev rows to warm-start on");
            x = dd.devX();
            y = dd.devY();
        }
        DType dt = draws.dtype();
        Var f = forward(draws, Tensor.matrix(x).cast(dt));                                  // rows × N
        Var meanPred = addScalar(scale(mean(f, 1, false), dd.ySd()), dd.yMean());
        return mean(square(sub(meanPred, constant(Tensor.of(DType.F64, y, y.length).cast(dt)))));
    }

    /** ½D(log λ − log 2π) − (λ/2)‖θ‖² per row. */
    private static Var priorTerm(Var theta, double logLambda) {
        return addScalar(scale(sum(square(theta), 1, false), -Math.exp(logLambda) / 2), 0.5 * theta.dim(1) * (logLambda - Math.log(2 * Math.PI)));
    }

    // ---------------------------------------------------------------- RowTarget (data engines)

    /** The likelihood on given rows: this model without its prior term. */
    private record Rows(String name, double logLambda, double logGamma, List<String> features) implements RowModel {
        @Override public Target likelihood(double[][] x, double[] y, double scale) {
            Data d = new Data(x, y, new double[0][], new double[0], 0, 1, 0, features, new double[0][], new double[0]);
            return new BnnRegression(name, () -> d, logLambda, logGamma, Integer.MAX_VALUE, null, scale, false);
        }
    }

    @Override public RowModel rowModel() { return new Rows(name, logLambda, logGamma, data().features()); }
    @Override public double[][] rowsX() { requireAllRows(); return data().x(); }
    @Override public double[] rowsY() { requireAllRows(); return data().y(); }
    @Override public int dataBatch() { return batchSize; }

    @Override public Target prior() {
        double ll = logLambda;
        return Target.of(name + ".prior", dim(), theta -> priorTerm(theta, ll));
    }

    private void requireAllRows() {
        if (rows != null || weight != 1) throw new IllegalStateException(name + ": a minibatch view has no rows of its own to distribute");
    }

    /** B rows per iteration (default B = 100, as the papers), scale n/B; B ≥ n: the full data. */
    @Override public Target withDataBatch(int b) { return withBatchSize(b); }

    @Override public Target batch(long seed, long iteration) {
        int n = trainSize();
        if (batchSize >= n || rows != null) return this;
        DataBatches d = batches;
        if (d == null) batches = d = new DataBatches(n, batchSize);
        return subset(d.rows(seed, iteration));
    }

    BnnRegression subset(int[] batch) {
        BnnRegression v = new BnnRegression(name, source, logLambda, logGamma, batchSize, batch.clone(), (double) trainSize() / batch.length);
        v.data = data();
        return v;
    }

    // ---------------------------------------------------------------- predictions and metrics

    /** f(x; θ) for each standardised input row x [m][d] and one parameter vector θ (standardised scale). */
    public double[] predictStandardised(double[] theta, double[][] x) {
        int d = inputs(), h = HIDDEN;
        if (theta.length != dim()) throw new IllegalArgumentException("parameter vector of length " + theta.length + ", expected " + dim());
        double[] out = new double[x.length];
        double[] hid = new double[h];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < h; j++) hid[j] = theta[d * h + j];
            for (int k = 0; k < d; k++) {
                double xk = x[i][k];
                for (int j = 0; j < h; j++) hid[j] += xk * theta[k * h + j];
            }
            double f = theta[theta.length - 1];
            for (int j = 0; j < h; j++) f += Math.max(hid[j], 0) * theta[d * h + h + j];
            out[i] = f;
        }
        return out;
    }

    /** Test predictions on the original scale, [S][m]. */
    public double[][] testPredictions(double[][] draws) {
        Data dd = data();
        double[][] out = new double[draws.length][];
        for (int s = 0; s < draws.length; s++) {
            out[s] = predictStandardised(draws[s], dd.testX());
            for (int i = 0; i < out[s].length; i++) out[s][i] = out[s][i] * dd.ySd() + dd.yMean();
        }
        return out;
    }

    /** Test RMSE and the reference's test log-likelihood (noise sd γ^{-1/2} on the original scale; see the class note). */
    public Predictive.Regression testMetrics(double[][] draws) {
        double[] sd = new double[draws.length];
        Arrays.fill(sd, Math.exp(-0.5 * logGamma));
        return Predictive.regression(testPredictions(draws), sd, data().testY());
    }

    /** The consistent test log-likelihood: noise sd sd_y·γ^{-1/2} on the original scale. */
    public double testLogLikelihoodRescaled(double[][] draws) {
        double[] sd = new double[draws.length];
        Arrays.fill(sd, data().ySd() * Math.exp(-0.5 * logGamma));
        return Predictive.regression(testPredictions(draws), sd, data().testY()).logLikelihood();
    }
}
