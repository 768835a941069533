package sivi.targets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.autodiff.Autodiff;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.data.DataException;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

class LogisticRegressionTest {

    static double[] logDensity(Target t, double[][] w) {
        return GradMode.noGrad(() -> t.logDensity(Var.constant(Tensor.matrix(w))).value()).toDoubleArray();
    }

    /** x = [[1,2],[1,-1],[1,.5]], y = [1,0,1]. */
    static LogisticRegression tiny() {
        return LogisticRegression.of("tiny", new LogisticRegression.Data(
                new double[][] {{1, 2}, {1, -1}, {1, 0.5}}, new double[] {1, 0, 1},
                new double[][] {{1, 1}}, new double[] {0}, List.of("intercept", "x1")));
    }

    @Test void logDensityMatchesHandComputedTinyCase() {
        double[] w = {0.3, -0.2};
        // η = (0.3-0.4, 0.3+0.2, 0.3-0.1) = (-0.1, 0.5, 0.2); log σ(-0.1) + log(1-σ(0.5)) + log σ(0.2) - 0.005·0.13
        double want = Math.log(1 / (1 + Math.exp(0.1))) + Math.log(1 - 1 / (1 + Math.exp(-0.5))) + Math.log(1 / (1 + Math.exp(-0.2)))
                - 0.5 * 0.01 * (0.09 + 0.04);
        assertEquals(want, logDensity(tiny(), new double[][] {w})[0], 1e-14);
    }

    @Test void logLikelihoodIsStableForLargePredictors() {
        // w = (0, ±500): η = ±(1000, −500, 250). With +: every label is predicted right, log-lik = −Σ log1p(e^−|η|) ≈ 0;
        // with −: every label wrong, log-lik = −(1000 + 500 + 250). Naive log σ would give −∞ or NaN here.
        double prior = -0.5 * 0.01 * 500 * 500;
        double[] lp = logDensity(tiny(), new double[][] {{0, 500}, {0, -500}});
        assertEquals(prior, lp[0], 1e-9);
        assertEquals(-1750 + prior, lp[1], 1e-9);
    }

    @Test void waveformHasThePapersSplitAndNames() {
        LogisticRegression t = LogisticRegression.builtIn("lr-waveform");
        assertEquals(22, t.dim());
        assertEquals(400, t.trainSize());
        assertEquals(4600, t.testX().length);
        assertEquals(4600, t.testY().length);
        assertEquals("intercept", t.names().get(0));
        assertEquals("x1", t.names().get(1));
        assertEquals("x21", t.names().get(21));
        double ones = 0;
        for (double y : t.data().y()) ones += y;
        assertEquals(268, ones); // docs/targets.md#lr-waveform: 132 zeros, 268 ones
        assertEquals(1.0, t.likelihoodScale());
        assertSame(t, t.batch(1, 0), "full batch by default");
    }

    @Test void uciSetsLoadWithInterceptAndEightyTwentySplit() {
        // name, d = features + intercept, rows
        Object[][] cases = {{"lr-wdbc", 31, 569}, {"lr-german", 62, 1000}, {"lr-sonar", 61, 208}, {"lr-ionosphere", 35, 351}, {"lr-pima", 9, 768}};
        for (Object[] c : cases) {
            LogisticRegression t = LogisticRegression.builtIn((String) c[0]);
            int n = (Integer) c[2], nTest = (int) Math.round(0.2 * n);
            assertEquals(c[1], t.dim(), c[0] + " dim");
            assertEquals(n - nTest, t.trainSize(), c[0] + " train rows");
            assertEquals(nTest, t.testX().length, c[0] + " test rows");
            assertEquals("intercept", t.names().get(0));
            // standardised with training statistics: each non-constant training column has mean 0, sd 1
            double[][] x = t.data().x();
            for (int j = 1; j < t.dim(); j++) {
                double m = 0, v = 0;
                for (double[] r : x) m += r[j] / x.length;
                for (double[] r : x) v += (r[j] - m) * (r[j] - m) / (x.length - 1);
                assertEquals(0, m, 1e-12, c[0] + " column " + j);
                if (v > 0) assertEquals(1, v, 1e-12, c[0] + " column " + j);
            }
        }
        assertEquals("glucose", LogisticRegression.builtIn("lr-pima").names().get(2));
        assertEquals("x30", LogisticRegression.builtIn("lr-wdbc").names().get(30));
    }

    @Test void expectedMinibatchLogDensityIsTheFullLogDensity() {
        LogisticRegression t = tiny().withBatchSize(2);
        double[][] w = {{0.3, -0.2}, {-1, 2}};
        double[] full = logDensity(t, w);
        // exact: the mean over all C(3,2) = 3 subsets, each with scale 3/2
        double[] mean = new double[2];
        for (int[] b : new int[][] {{0, 1}, {0, 2}, {1, 2}}) {
            LogisticRegression v = t.subset(b);
            assertEquals(1.5, v.likelihoodScale());
            double[] lp = logDensity(v, w);
            for (int k = 0; k < 2; k++) mean[k] += lp[k] / 3;
        }
        assertArrayEquals(full, mean, 1e-12);
        // and batch(seed, i) samples the subsets uniformly (one batch per epoch here, a fresh permutation each):
        // Monte Carlo mean within 5 standard errors
        int draws = 3000;
        double s = 0, s2 = 0;
        for (int i = 0; i < draws; i++) {
            double lp = logDensity(t.batch(4, i), w)[0];
            s += lp; s2 += lp * lp;
        }
        double m = s / draws, se = Math.sqrt((s2 / draws - m * m) / draws);
        assertTrue(se > 0);
        assertEquals(full[0], m, 5 * se);
    }

    @Test void minibatchScoreAndHvpMatchAutodiff() {
        LogisticRegression t = LogisticRegression.builtIn("lr-pima").withBatchSize(50);
        Target b = t.batch(2, 0);
        assertEquals((double) t.trainSize() / 50, ((LogisticRegression) b).likelihoodScale(), 1e-15);
        Tensor x = new Rng(3).normal(DType.F64, 3, t.dim()), v = new Rng(4).normal(DType.F64, 3, t.dim());
        Tensor g = GradMode.with(true, () -> Autodiff.grad(u -> Ops.sum(b.logDensity(u)), x));
        Tensor h = GradMode.with(true, () -> Autodiff.hvp(u -> Ops.sum(b.logDensity(u)), x, v));
        TargetContractTest.assertClose(g, b.scoreValue(x), 1e-10, "minibatch score");
        TargetContractTest.assertClose(h, b.hvpValue(x, v), 1e-10, "minibatch hvp");
    }

    /**
     * The score op reuses σ(w·Xᵀ) from its forward in its backward: the op's value and its vjp are
     * the uncached scoreValue and hvpValue exactly, in both dtypes, and a cache of the other dtype is ignored.
     */
    @Test void scoreOpWithCachedSigmoidIsTheUncachedScoreAndHvp() {
        LogisticRegression t = LogisticRegression.builtIn("lr-waveform");
        for (DType dt : DType.values()) {
            Tensor x = new Rng(7).normal(dt, 5, t.dim()), v = new Rng(8).normal(dt, 5, t.dim());
            Tensor[] viaOp = GradMode.with(true, () -> {
                Var xv = Var.leaf(x);
                Var s = t.score(xv);
                return new Tensor[] {s.value(), Autodiff.grad(s, new Var[] {xv}, Var.constant(v), false)[0].value()};
            });
            assertArrayEquals(t.scoreValue(x).toDoubleArray(), viaOp[0].toDoubleArray(), dt + " score");
            // the Hessian is symmetric, so the vjp with v is H·v
            assertArrayEquals(t.hvpValue(x, v).toDoubleArray(), viaOp[1].toDoubleArray(), dt + " hvp through the op");
            Object otherCache = t.scoreWithCache(x.cast(dt == DType.F32 ? DType.F64 : DType.F32)).cache();
            assertArrayEquals(t.hvpValue(x, v).toDoubleArray(), t.hvpValue(x, v, otherCache).toDoubleArray(), dt + " foreign cache ignored");
        }
    }

    /** The F32 path (cached F32 copies of the data) agrees with F64 to float rounding, twice in a row. */
    @Test void f32ScoreHvpAndDensityAgreeWithF64() {
        LogisticRegression t = LogisticRegression.builtIn("lr-waveform");
        Tensor x = new Rng(5).normal(DType.F64, 4, t.dim()).cast(DType.F32).cast(DType.F64), v = new Rng(6).normal(DType.F64, 4, t.dim());
        Tensor x32 = x.cast(DType.F32), v32 = v.cast(DType.F32);
        for (int rep = 0; rep < 2; rep++) {
            TargetContractTest.assertClose(t.scoreValue(x), t.scoreValue(x32).cast(DType.F64), 1e-4, "f32 score");
            TargetContractTest.assertClose(t.hvpValue(x, v), t.hvpValue(x32, v32).cast(DType.F64), 1e-4, "f32 hvp");
            double[] d64 = GradMode.noGrad(() -> t.logDensity(Var.constant(x)).value()).toDoubleArray();
            double[] d32 = GradMode.noGrad(() -> t.logDensity(Var.constant(x32)).value()).toDoubleArray();
            for (int i = 0; i < d64.length; i++) assertEquals(d64[i], d32[i], 1e-4 * (1 + Math.abs(d64[i])), "f32 log density " + i);
        }
    }

    @Test void testLogLikelihoodAtZeroWeightsIsLogHalf() {
        LogisticRegression t = LogisticRegression.builtIn("lr-waveform");
        double[][] zero = new double[3][22];
        assertEquals(Math.log(0.5), t.testLogLikelihood(zero), 1e-12);
    }

    @Test void csvFactoryNamesColumnsAndSplits(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("mine.csv");
        StringBuilder b = new StringBuilder("a,label,b\n");
        for (int i = 0; i < 10; i++) b.append(i).append(',').append(i % 2).append(',').append(i * i).append('\n');
        Files.writeString(f, b);
        LogisticRegression t = LogisticRegression.fromCsv(f, "label");
        assertEquals("lr-csv", t.name());
        assertEquals(List.of("intercept", "a", "b"), t.names());
        assertEquals(8, t.trainSize());
        assertEquals(2, t.testX().length);
    }

    @Test void csvFactoryMapsTextLabelsByAnExplicitRule(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("text.csv");
        Files.writeString(f, "a,class\n1,neg\n2,pos\n3,neg\n4,pos\n5,pos\n");
        LogisticRegression t = LogisticRegression.fromCsv(f, "class", "neg", "pos");
        double ones = 0;
        for (double y : t.data().y()) ones += y;
        for (double y : t.testY()) ones += y;
        assertEquals(3, ones);
        DataException e = assertThrows(DataException.class, () -> LogisticRegression.fromCsv(f, "class", "no", "yes"));
        assertTrue(e.getMessage().contains("text.csv:2:") && e.getMessage().contains("column 2 (class)"), e.getMessage());
    }

    @Test void badCsvNamesFileLineAndColumn(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "a,label,b\n1,0,2\n3,x,4\n");
        DataException e = assertThrows(DataException.class, () -> LogisticRegression.fromCsv(f, "label"));
        assertTrue(e.getMessage().contains("bad.csv:3:") && e.getMessage().contains("column 2 (label)"), e.getMessage());
        Path g = dir.resolve("labels.csv");
        Files.writeString(g, "a,label\n1,0\n3,2\n5,1\n");
        DataException e2 = assertThrows(DataException.class, () -> LogisticRegression.fromCsv(g, "label"));
        assertTrue(e2.getMessage().contains("labels.csv") && e2.getMessage().contains("data row 2") && e2.getMessage().contains("not 0 or 1"), e2.getMessage());
        DataException e3 = assertThrows(DataException.class, () -> LogisticRegression.fromCsv(g, "nope"));
        assertTrue(e3.getMessage().contains("no column named 'nope'"), e3.getMessage());
    }
}
