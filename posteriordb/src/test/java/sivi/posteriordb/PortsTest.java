package sivi.posteriordb;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sivi.autodiff.Autodiff;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/** Every port: outputs, constraints, the log density against the plain-double oracle, gradient and HVP against finite differences. */
class PortsTest {
    static Stream<String> posteriors() { return Posteriors.names().stream(); }

    static Stream<String> withOracle() { return StanDoubles.all().keySet().stream(); }

    /** Reference draws (Stan names → columns) where bundled, else null. */
    static Map<String, double[]> reference(String posterior) throws java.io.IOException {
        InputStream in = PortsTest.class.getResourceAsStream("/sivi/posteriordb/" + posterior + "/reference.csv.gz");
        if (in == null) return null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            String[] head = r.readLine().split(",");
            List<double[]> rows = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                String[] c = line.split(",");
                double[] v = new double[c.length];
                for (int i = 0; i < c.length; i++) v[i] = Double.parseDouble(c[i]);
                rows.add(v);
            }
            Map<String, double[]> cols = new LinkedHashMap<>();
            for (int j = 0; j < head.length; j++) {
                double[] col = new double[rows.size()];
                for (int i = 0; i < col.length; i++) col[i] = rows.get(i)[j];
                cols.put(head[j], col);
            }
            return cols;
        }
    }

    /** Typical points in the unconstrained space: reference draws (rows 0, 1000, 2000) where bundled, else N(0, 0.5²) around 0. */
    static Tensor points(Target t, String posterior) throws java.io.IOException {
        Map<String, double[]> ref = reference(posterior);
        if (ref == null) return new Rng(3).normal(DType.F64, 3, t.dim()).cast(DType.F64);
        List<String> out = t.outputNames();
        double[] y = new double[3 * out.size()];
        for (int r = 0; r < 3; r++) for (int j = 0; j < out.size(); j++) y[r * out.size() + j] = ref.get(out.get(j))[r * 1000];
        return t.unconstrain(Tensor.wrap(y, 3, out.size()));
    }

    static double lp(Target t, double[] x) {
        return GradMode.noGrad(() -> t.logDensity(Var.constant(Tensor.wrap(x.clone(), 1, x.length))).value()).item();
    }

    @ParameterizedTest @MethodSource("posteriors")
    void registeredWithOutputsOfPosteriorJson(String posterior) throws Exception {
        Target t = Targets.create("pdb-" + posterior);
        assertEquals("pdb-" + posterior, t.name());
        assertEquals(t.dim(), t.names().size());
        Map<String, double[]> ref = reference(posterior);
        if (ref != null) {
            List<String> cols = new ArrayList<>(ref.keySet());
            cols.remove("chain__");
            assertEquals(cols, t.outputNames(), "the reference's columns in order");
        }
    }

    /** unconstrain ∘ constrain is the identity (to rounding), and constrained draws satisfy their constraints (finite log density). */
    @ParameterizedTest @MethodSource("posteriors")
    void constrainRoundTrips(String posterior) throws Exception {
        Target t = Posteriors.create(posterior);
        Tensor x = new Rng(7).normal(DType.F64, 4, t.dim()).cast(DType.F64);
        Tensor back = t.unconstrain(t.constrain(x));
        double[] a = x.toDoubleArray(), b = back.toDoubleArray();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-9 * (1 + Math.abs(a[i])), posterior + " coordinate " + i);
        assertEquals(t.outputNames().size(), t.constrain(x).dim(1));
    }

    /**
     * The port's log density = the oracle's (model.stan in plain doubles, on the port's outputs) +
     * log|det ∂(free constrained coordinates)/∂u| by central differences. Tolerance: the FD Jacobian's
     * error (h² terms, h = 1e-6 relative) is ~1e-10 relative per entry, so log det is good to ~1e-8;
     * the sums themselves agree to rounding (1e-12 relative to Σ|terms| ~ |lp|).
     */
    @ParameterizedTest @MethodSource("withOracle")
    void logDensityMatchesPlainDoubleModel(String posterior) throws Exception {
        Target t = Posteriors.create(posterior);
        StanDoubles.Model oracle = StanDoubles.all().get(posterior);
        Tensor xs = points(t, posterior);
        int d = t.dim();
        double[] all = xs.toDoubleArray();
        for (int r = 0; r < xs.dim(0); r++) {
            double[] x = java.util.Arrays.copyOfRange(all, r * d, (r + 1) * d);
            StanDoubles.Eval e = oracle.at(outputs(t, x));
            assertEquals(d, e.free().length, posterior + ": free coordinates");
            double[][] jac = new double[d][d];
            for (int j = 0; j < d; j++) {
                double h = 1e-6 * (1 + Math.abs(x[j]));
                double[] xp = x.clone(), xm = x.clone();
                xp[j] += h; xm[j] -= h;
                double[] fp = oracle.at(outputs(t, xp)).free(), fm = oracle.at(outputs(t, xm)).free();
                for (int i = 0; i < d; i++) jac[i][j] = (fp[i] - fm[i]) / (2 * h);
            }
            double want = e.lp() + logAbsDet(jac), got = lp(t, x);
            assertEquals(want, got, 1e-7 * (1 + Math.abs(want)), posterior + " at row " + r);
        }
    }

    static Map<String, double[]> outputs(Target t, double[] x) {
        double[] y = t.constrain(Tensor.wrap(x.clone(), 1, x.length)).toDoubleArray();
        Map<String, double[]> m = new LinkedHashMap<>();
        List<String> names = t.outputNames();
        for (int j = 0; j < names.size(); ) {
            String base = names.get(j).replaceAll("\\[.*", "");
            int k = j;
            while (k < names.size() && names.get(k).replaceAll("\\[.*", "").equals(base)) k++;
            m.put(base, java.util.Arrays.copyOfRange(y, j, k));
            j = k;
        }
        return m;
    }

    /** log|det A| by Gaussian elimination with partial pivoting. */
    static double logAbsDet(double[][] a0) {
        int n = a0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = a0[i].clone();
        double s = 0;
        for (int p = 0; p < n; p++) {
            int m = p;
            for (int i = p + 1; i < n; i++) if (Math.abs(a[i][p]) > Math.abs(a[m][p])) m = i;
            double[] tmp = a[p]; a[p] = a[m]; a[m] = tmp;
            s += Math.log(Math.abs(a[p][p]));
            for (int i = p + 1; i < n; i++) {
                double f = a[i][p] / a[p][p];
                for (int j = p; j < n; j++) a[i][j] -= f * a[p][j];
            }
        }
        return s;
    }

    /**
     * Gradient (autodiff, float64) against central differences of the log density. Error bound of
     * the difference: h²|f'''|/6 + ε|f|/h with h = 1e-5(1 + |x|); the tolerance 1e-5·(|g|∞ + 1e-4|f|)
     * covers both for the smooth densities here.
     */
    @ParameterizedTest @MethodSource("posteriors")
    void gradientMatchesFiniteDifferences(String posterior) throws Exception {
        Target t = Posteriors.create(posterior);
        Tensor xs = points(t, posterior).slice(0, 0, 1).contiguous();
        double[] x = xs.toDoubleArray(), g = t.scoreValue(xs).toDoubleArray();
        double f = lp(t, x), gmax = 0;
        for (double v : g) gmax = Math.max(gmax, Math.abs(v));
        for (int j = 0; j < x.length; j++) {
            double h = 1e-5 * (1 + Math.abs(x[j]));
            double[] xp = x.clone(), xm = x.clone();
            xp[j] += h; xm[j] -= h;
            double fd = (lp(t, xp) - lp(t, xm)) / (2 * h);
            assertEquals(fd, g[j], 1e-5 * (gmax + 1e-4 * Math.abs(f)), posterior + " d/d" + t.names().get(j));
        }
    }

    /**
     * The one-point path NUTS uses ({@link Target#logDensityAndScore}: one tape, and the hand-written
     * {@link StanModel#pointModel} where a port has one) against the batched autodiff (log density and
     * score) at the typical points and three wider ones, N(0, 1.5²). Both compute the same sums in
     * another order (and the ODE sensitivities by the variational equations on the same RK4 steps, the
     * exact derivative of the discrete solve), so they agree to rounding: 1e-10 relative to the sum of
     * the terms' sizes (|lp| + dim + 1; the diamonds' 5000 rows included) and 1e-9 relative to |score|∞.
     */
    @ParameterizedTest @MethodSource("posteriors")
    void pointPathMatchesBatchedAutodiff(String posterior) throws Exception {
        Target t = Posteriors.create(posterior);
        int d = t.dim();
        double[] wide = new Rng(11).normal(DType.F64, 3, d).cast(DType.F64).toDoubleArray();
        for (int i = 0; i < wide.length; i++) wide[i] *= 1.5;
        double[] all = concat(points(t, posterior).toDoubleArray(), wide);
        int finite = 0;
        for (int r = 0; r < all.length / d; r++) {
            double[] x = java.util.Arrays.copyOfRange(all, r * d, (r + 1) * d), g = new double[d];
            double want = lp(t, x), got = t.logDensityAndScore(x, g);
            if (!Double.isFinite(want)) {
                assertFalse(Double.isFinite(got), posterior + " row " + r + ": batched " + want + ", point " + got);
                continue;
            }
            finite++;
            assertEquals(want, got, 1e-10 * (Math.abs(want) + d + 1), posterior + " log density at row " + r);
            double[] s = t.scoreValue(Tensor.wrap(x.clone(), 1, d)).toDoubleArray();
            double smax = 0;
            for (double v : s) smax = Math.max(smax, Math.abs(v));
            for (int j = 0; j < d; j++) assertEquals(s[j], g[j], 1e-9 * (smax + 1), posterior + " score " + t.names().get(j) + " at row " + r);
        }
        assertTrue(finite >= 3, posterior + ": only " + finite + " finite points");
    }

    static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Second order: the HVP (reverse over reverse) against central differences of the gradient along v. */
    @ParameterizedTest @MethodSource("posteriors")
    void hvpMatchesFiniteDifferencesOfGradient(String posterior) throws Exception {
        Target t = Posteriors.create(posterior);
        Tensor xs = points(t, posterior).slice(0, 0, 1).contiguous();
        int d = t.dim();
        Tensor v = new Rng(9).normal(DType.F64, 1, d).cast(DType.F64);
        double[] hv = GradMode.with(true, () -> Autodiff.hvp(u -> Ops.sum(t.logDensity(u)), xs, v)).toDoubleArray();
        double[] x = xs.toDoubleArray(), vv = v.toDoubleArray();
        double xn = 0;
        for (double a : x) xn = Math.max(xn, Math.abs(a));
        double h = 1e-5 * (1 + xn);
        double[] xp = x.clone(), xm = x.clone();
        for (int j = 0; j < d; j++) { xp[j] += h * vv[j]; xm[j] -= h * vv[j]; }
        double[] gp = t.scoreValue(Tensor.wrap(xp, 1, d)).toDoubleArray(), gm = t.scoreValue(Tensor.wrap(xm, 1, d)).toDoubleArray();
        double hmax = 0, gmax = 0;
        for (int j = 0; j < d; j++) { hmax = Math.max(hmax, Math.abs(hv[j])); gmax = Math.max(gmax, Math.abs(gp[j])); }
        for (int j = 0; j < d; j++)
            assertEquals((gp[j] - gm[j]) / (2 * h), hv[j], 1e-5 * (hmax + 1e-4 * gmax), posterior + " HVP " + j);
    }

    @Test void unknownPosteriorIsAOneLineError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Posteriors.create("no-such-posterior"));
        assertTrue(e.getMessage().startsWith("posteriordb: no posterior 'no-such-posterior'"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(IllegalArgumentException.class, () -> Targets.create("pdb-no-such-posterior"));
    }

    @Test void dataNotMatchingDeclaredSizesIsAOneLineError() {
        StanData d = StanData.of("arK-arK", Map.of("T", 3L, "y", List.of(1.0, 2.0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.vector("y", d.integer("T", 0)));
        assertEquals("posteriordb arK-arK: data 'y' has 2 values, the model declares 3", e.getMessage());
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> StanData.of("x", Map.of("K", -1L)).integer("K", 0));
        assertTrue(neg.getMessage().contains("below its declared lower bound 0"), neg.getMessage());
    }

    @Test void valuesOutsideTheConstraintsAreOneLineErrors() {
        Target es = Posteriors.create("eight_schools-eight_schools_noncentered");
        double[] y = new double[10];
        y[9] = -1;   // tau < 0
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> es.unconstrain(Tensor.wrap(y, 1, 10)));
        assertTrue(e.getMessage().contains("parameter tau: value -1.0 is outside <lower=0.0>"), e.getMessage());
        Target hmm = Posteriors.create("hmm_example-hmm_example");
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> hmm.unconstrain(Tensor.wrap(new double[] {0.5, 0.6, 0.5, 0.5, 1, 2}, 1, 6)));
        assertTrue(s.getMessage().contains("parameter theta1: values sum to 1.1"), s.getMessage());
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class, () -> hmm.unconstrain(Tensor.wrap(new double[] {0.5, 0.5, 0.5, 0.5, 2, 1}, 1, 6)));
        assertTrue(o.getMessage().contains("parameter mu: value 1.0 is outside ordered"), o.getMessage());
    }

    @Test void lgammaMatchesFactorials() {
        // Γ(n) = (n−1)!: exact reference values; Stirling with 5 terms after the shift is good to ~1e-15 relative
        double f = 1;
        for (int n = 1; n <= 25; n++) {
            assertEquals(Math.log(f), StanMath.lgamma(n), 1e-13 * (1 + Math.log(f)), "lgamma(" + n + ")");
            f *= n;
        }
        assertEquals(0.5 * Math.log(Math.PI), StanMath.lgamma(0.5), 1e-14);   // Γ(1/2) = √π
    }
}
