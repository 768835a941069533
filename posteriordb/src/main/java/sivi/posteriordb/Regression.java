package sivi.posteriordb;

import java.util.List;
import java.util.Map;
import sivi.autodiff.Var;
import sivi.targets.DataBatches;
import sivi.targets.Target;

import static sivi.autodiff.Ops.*;
import static sivi.posteriordb.StanMath.*;

/**
 * The linear regressions y ~ normal(X·beta, sigma) (earnings, kidiq, mesquite, nes, kilpisjarvi,
 * blr, diamonds): a design matrix built from the data as each model.stan's transformed data does,
 * the coefficients as one vector block "beta" (or scalar blocks, e.g. kilpisjarvi's alpha, beta),
 * normal priors per coefficient where the model has them, and the model's prior on sigma. The likelihood is a
 * plain sum over rows, so both take a data batch ({@link #withDataBatch}: B rows per iteration, scaled by n/B).
 */
final class Regression extends StanModel {
    /** The response and the design matrix (n × k, row-major), as the model's transformed data builds them. */
    record Design(double[] y, double[] x, int k) {
        int n() { return y.length; }

        /** The given rows (indices into 0..n−1). */
        Design rows(int[] idx) {
            double[] ys = new double[idx.length], xs = new double[idx.length * k];
            for (int r = 0; r < idx.length; r++) {
                ys[r] = y[idx[r]];
                System.arraycopy(x, idx[r] * k, xs, r * k, k);
            }
            return new Design(ys, xs, k);
        }

        /** An intercept column, then the given columns. */
        static Design withIntercept(double[] y, double[]... cols) {
            int k = cols.length + 1;
            double[] x = new double[y.length * k];
            for (int i = 0; i < y.length; i++) {
                x[i * k] = 1;
                for (int j = 0; j < cols.length; j++) x[i * k + j + 1] = cols[j][i];
            }
            return new Design(y, x, k);
        }
    }

    /** The prior on sigma. */
    enum SigmaPrior { FLAT, CAUCHY_2_5, NORMAL_10 }

    private final Design design;
    private final List<String> coefficients;
    private final double[] priorMean, priorSd;   // null: flat priors on the coefficients
    private final SigmaPrior sigmaPrior;
    private final DataBatches batches;   // null: the full data; else B rows per iteration
    private final double weight;         // the likelihood scale n/B of a batch view (1 otherwise)

    /** Coefficients as the vector block "beta". */
    Regression(String posterior, Design design, double priorSd, SigmaPrior sigmaPrior) {
        this(posterior, design, null, Double.isNaN(priorSd) ? null : new double[design.k()],
                Double.isNaN(priorSd) ? null : filled(design.k(), priorSd), sigmaPrior);
    }

    /** Coefficients as scalar blocks with the given names, or the vector "beta" when names is null. */
    Regression(String posterior, Design design, List<String> names, double[] priorMean, double[] priorSd, SigmaPrior sigmaPrior) {
        this(posterior, design, names, priorMean, priorSd, sigmaPrior, null, 1);
    }

    private Regression(String posterior, Design design, List<String> names, double[] priorMean, double[] priorSd, SigmaPrior sigmaPrior,
                       DataBatches batches, double weight) {
        super(posterior);
        this.batches = batches;
        this.weight = weight;
        this.design = design;
        this.coefficients = names;
        this.priorMean = priorMean;
        this.priorSd = priorSd;
        this.sigmaPrior = sigmaPrior;
        for (double v : design.y) if (!Double.isFinite(v)) throw new IllegalArgumentException("posteriordb " + posterior + ": the response has a non-finite value " + v);
        if (names == null) vector("beta", design.k());
        else for (String s : names) real(s);
        real("sigma", Constraint.lower(0));
    }

    static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private Var beta(Params p) {
        if (coefficients == null) return p.get("beta");
        return concat(1, coefficients.stream().map(p::get).toArray(Var[]::new));
    }

    @Override protected Var model(Params p) {
        Var beta = beta(p), sigma = p.get("sigma");
        Var mu = matmul(beta, data(beta, design.x, design.n(), design.k), false, true);
        Var lp = sum(normalLpdf(data(beta, design.y, 1, design.n()), mu, sigma), 1, false);
        if (weight != 1) lp = scale(lp, weight);
        if (priorSd != null)
            lp = add(lp, sum(normalLpdf(beta, data(beta, priorMean, 1, design.k), data(beta, priorSd, 1, design.k)), 1, false));
        Var s = p.scalar("sigma");
        return switch (sigmaPrior) {
            case FLAT -> lp;
            case CAUCHY_2_5 -> add(lp, cauchyLpdf(s, 0, 2.5));
            case NORMAL_10 -> add(lp, normalLpdf(s, 0, 10));
        };
    }

    /** The likelihood is a sum over the n rows: B of them per iteration ({@link DataBatches}), scaled by n/B. */
    @Override public Target withDataBatch(int b) {
        if (b < 1) throw new IllegalArgumentException("a data batch must be positive, got " + b);
        if (b >= design.n()) return this;
        return new Regression(posterior, design, coefficients, priorMean, priorSd, sigmaPrior, new DataBatches(design.n(), b), 1);
    }

    @Override public Target batch(long seed, long iteration) {
        if (batches == null) return this;
        int[] rows = batches.rows(seed, iteration);
        return new Regression(posterior, design.rows(rows), coefficients, priorMean, priorSd, sigmaPrior, null, (double) design.n() / rows.length);
    }

    // ---------------------------------------------------------------- transformed data helpers

    static double[] log(double[] a) { return map(a, Math::log); }

    static double[] map(double[] a, java.util.function.DoubleUnaryOperator f) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = f.applyAsDouble(a[i]);
        return r;
    }

    static double[] times(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] * b[i];
        return r;
    }

    static double mean(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s / a.length;
    }

    /** Stan's sd: the sample standard deviation (n − 1). */
    static double sd(double[] a) {
        double m = mean(a), s = 0;
        for (double v : a) s += (v - m) * (v - m);
        return Math.sqrt(s / (a.length - 1));
    }

    /** (a − shift) / scale. */
    static double[] shift(double[] a, double shift, double scale) { return map(a, v -> (v - shift) / scale); }

    /** The indicator a == level. */
    static double[] is(double[] a, double level) { return map(a, v -> v == level ? 1 : 0); }

    /** diamonds (brms): Y ~ normal(Intercept + Xc·b, sigma) with the columns of X (but the first) centred. */
    static final class Diamonds extends StanModel {
        private final int n, kc;
        private final double[] y, xc;
        private final DataBatches batches;   // null: the full data
        private final double weight;         // n_full/B in a batch view

        Diamonds(String posterior) { this(posterior, load(posterior), null, 1); }

        private Diamonds(String posterior, Design centred, DataBatches batches, double weight) {
            super(posterior);
            n = centred.n();
            kc = centred.k();
            y = centred.y();
            xc = centred.x();
            this.batches = batches;
            this.weight = weight;
            vector("b", kc);
            real("Intercept");
            real("sigma", Constraint.lower(0));
        }

        /** Y and the columns of X but the first, centred (the brms transformed data). */
        private static Design load(String posterior) {
            StanData d = StanData.load(posterior);
            int n = d.integer("N", 1), k = d.integer("K", 1);
            double[] y = d.vector("Y", n);
            double[][] x = d.matrix("X", n, k);
            if (d.integer("prior_only", 0) != 0) throw new IllegalArgumentException("posteriordb " + posterior + ": the port has the likelihood, data asks prior_only");
            int kc = k - 1;
            double[] xc = new double[n * kc];
            for (int j = 1; j < k; j++) {
                double m = 0;
                for (int i = 0; i < n; i++) m += x[i][j];
                m /= n;
                for (int i = 0; i < n; i++) xc[i * kc + j - 1] = x[i][j] - m;
            }
            return new Design(y, xc, kc);
        }

        @Override public Target withDataBatch(int b) {
            if (b < 1) throw new IllegalArgumentException("a data batch must be positive, got " + b);
            return b >= n ? this : new Diamonds(posterior, new Design(y, xc, kc), new DataBatches(n, b), 1);
        }

        @Override public Target batch(long seed, long iteration) {
            if (batches == null) return this;
            int[] rows = batches.rows(seed, iteration);
            return new Diamonds(posterior, new Design(y, xc, kc).rows(rows), null, (double) n / rows.length);
        }

        @Override protected Var model(Params p) {
            Var b = p.get("b"), intercept = p.get("Intercept"), sigma = p.get("sigma");
            Var mu = add(intercept, matmul(b, data(b, xc, n, kc), false, true));
            Var lik = sum(normalLpdf(data(b, y, 1, n), mu, sigma), 1, false);
            if (weight != 1) lik = scale(lik, weight);
            // student_t(sigma | 3, 0, 10) truncated at 0: − log P(T > 0) = + log 2
            Var prior = add(sum(normalLpdf(b, 0, 1), 1, false),
                    add(studentTLpdf(p.scalar("Intercept"), 3, 8, 10), addScalar(studentTLpdf(p.scalar("sigma"), 3, 0, 10), Math.log(2))));
            return add(lik, prior);
        }

        @Override protected PointModel pointModel() { return this::point; }

        /** The residuals in one pass over the rows, ∂/∂b = Xᵀr/σ² in the same pass. */
        private double point(Map<String, double[]> v, Map<String, double[]> g) {
            double[] b = v.get("b"), gb = g.get("b");
            double intercept = v.get("Intercept")[0], sigma = v.get("sigma")[0];
            double ss = 0, sr = 0;
            for (int i = 0; i < n; i++) {
                double mu = intercept;
                int row = i * kc;
                for (int j = 0; j < kc; j++) mu += xc[row + j] * b[j];
                double r = y[i] - mu;
                ss += r * r;
                sr += r;
                for (int j = 0; j < kc; j++) gb[j] += xc[row + j] * r;
            }
            double s2 = sigma * sigma;
            double lp = weight * (-0.5 * ss / s2 - n * Math.log(sigma) - n * HALF_LOG_2PI);
            for (int j = 0; j < kc; j++) {
                gb[j] = weight * gb[j] / s2 + PointMath.normalDy(b[j], 0, 1);
                lp += PointMath.normal(b[j], 0, 1);
            }
            g.get("Intercept")[0] = weight * sr / s2 + PointMath.studentTDy(intercept, 3, 8, 10);
            g.get("sigma")[0] = weight * (ss / (s2 * sigma) - n / sigma) + PointMath.studentTDy(sigma, 3, 0, 10);
            return lp + PointMath.studentT(intercept, 3, 8, 10) + PointMath.studentT(sigma, 3, 0, 10) + Math.log(2);
        }
    }
}
