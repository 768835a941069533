package sivi.families;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.*;

/**
 * The flows' exact log q (docs/algorithms.md#flow) against an independent computation: the change of variables with a
 * finite-difference Jacobian, the inverse, and the normalisation on a 2-D grid. Parameters are perturbed away from the
 * identity initialisation (every entry + N(0, 0.3²)) so that each layer does something.
 */
class FlowTest {
    static Flow flow(Params params, Flow.Kind kind, int d, int layers) {
        Flow f = Flow.create(params, "q", d, kind, layers, new int[] {5}, -0.2, new Rng(4), DType.F64);
        Rng r = new Rng(9);
        for (String n : params.names()) {
            double[] v = params.get(n).toDoubleArray();
            for (int i = 0; i < v.length; i++) v[i] += 0.3 * r.nextGaussian();
            params.put(n, Tensor.of(DType.F64, v, params.get(n).shape()));
        }
        return f;
    }

    /**
     * log q of the flow's own draws = log N(ξ) − log|det J| with J = ∂x/∂ξ by central differences (h = 1e-5, float64):
     * truncation O(h²) ≈ 1e-10 and rounding ≈ 1e-16/h ≈ 1e-11 per Jacobian entry, so 1e-7 on log|det| is generous yet
     * far below any missing term of a layer's log-determinant.
     */
    @ParameterizedTest @EnumSource(Flow.Kind.class)
    void logDensityIsTheChangeOfVariables(Flow.Kind kind) {
        int d = 3, n = 4;
        Params params = new Params();
        Flow f = flow(params, kind, d, 3);
        Params.Bound p = params.bind();
        Tensor xi = new Rng(5).normal(DType.F64, n, d);
        double[] lq = GradMode.noGrad(() -> {
            Var[] fw = f.forward(p, constant(xi));
            return sub(Gaussians.standardLogPdf(constant(xi)), fw[1]).value().toDoubleArray();
        });
        double h = 1e-5;
        double[] base = xi.toDoubleArray();
        for (int i = 0; i < n; i++) {
            double[][] jac = new double[d][d];
            for (int j = 0; j < d; j++) {
                double[] a = java.util.Arrays.copyOfRange(base, i * d, i * d + d), b = a.clone();
                a[j] += h; b[j] -= h;
                double[] ya = GradMode.noGrad(() -> f.forward(p, constant(Tensor.of(DType.F64, a, 1, d)))[0].value().toDoubleArray());
                double[] yb = GradMode.noGrad(() -> f.forward(p, constant(Tensor.of(DType.F64, b, 1, d)))[0].value().toDoubleArray());
                for (int k = 0; k < d; k++) jac[k][j] = (ya[k] - yb[k]) / (2 * h);
            }
            double logN = 0;
            for (int j = 0; j < d; j++) logN += -0.5 * base[i * d + j] * base[i * d + j] - 0.5 * Math.log(2 * Math.PI);
            assertEquals(logN - Math.log(Math.abs(det3(jac))), lq[i], 1e-7, kind + " row " + i);
        }
    }

    static double det3(double[][] a) {
        return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    }

    /** log q at a given x (the inverse: closed form, d passes, or bisection for planar) = log q from the forward pass. */
    @ParameterizedTest @EnumSource(Flow.Kind.class)
    void inverseAgreesWithTheForwardPass(Flow.Kind kind) {
        Params params = new Params();
        Flow f = flow(params, kind, 3, 3);
        Family.Scored s = GradMode.noGrad(() -> f.sampleWithLogDensity(params.bind(), new Rng(6), 7));
        double[] want = s.logQ().value().toDoubleArray(), got = f.logDensityValue(params, s.x().value()).toDoubleArray();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-9 * Math.max(1, Math.abs(want[i])), kind + " row " + i);
        assertEquals(kind != Flow.Kind.PLANAR, f.hasExactLogDensity());
    }

    /**
     * ∫ q = 1 on [−9, 9]² by the midpoint rule with h = 0.06: the rule's error is ≈ h²/24 · ∫|∇²q| = O(2e-4) for these
     * O(1)-scale densities, and the mass outside the box is below 1e-6 (the base σ ≈ e^{−0.2} ± 0.3 perturbation and layers
     * that move points by O(1)); 2e-3 bounds both with a margin, while a log-determinant off by a constant factor c
     * would give |c − 1|.
     */
    @ParameterizedTest @EnumSource(Flow.Kind.class)
    void integratesToOneOnAGrid(Flow.Kind kind) {
        Params params = new Params();
        Flow f = flow(params, kind, 2, 2);
        int m = 300;
        double lo = -9, h = 18.0 / m, total = 0;
        double[] pts = new double[m * m * 2];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) {
                pts[2 * (i * m + j)] = lo + (i + 0.5) * h;
                pts[2 * (i * m + j) + 1] = lo + (j + 0.5) * h;
            }
        double[] lq = f.logDensityValue(params, Tensor.of(DType.F64, pts, m * m, 2)).toDoubleArray();
        for (double v : lq) total += Math.exp(v) * h * h;
        assertEquals(1.0, total, 2e-3, kind.toString());
    }
}
