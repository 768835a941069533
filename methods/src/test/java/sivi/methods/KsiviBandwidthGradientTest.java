package sivi.methods;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.autodiff.Autodiff;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The median-heuristic bandwidth with its gradient (RBF, not detached, as the reference code): away from ties the
 * median is locally one entry D_ij, so h's gradient is that entry's, and central differences of h's value (the
 * backend's pairwiseMedian, recomputed per perturbation) must match the autodiff gradient. Continuous f64 draws keep
 * neighbouring sorted distances ~1e-3 apart, far beyond what a 1e-6 step moves; the central-difference error is
 * O(ε²)·|h'''| ≈ 1e-11 plus rounding u·h/ε ≈ 1e-10, under the 1e-8 allowed. All but the selected pair's four
 * coordinates have gradient 0 on both sides; a detached or misplaced median gradient fails on those four.
 */
class KsiviBandwidthGradientTest {
    @Test void medianBandwidthGradientMatchesCentralDifferences() {
        int n = 20;
        Ksivi.Estimator est = new Ksivi.Estimator(StationaryKernel.RBF, false, false, false, 0);
        for (long seed : new long[] {1, 2, 3}) {
            double[] xv = Rng.of(seed, 0).normal(DType.F64, n, 2).toDoubleArray(), yv = Rng.of(seed, 1).normal(DType.F64, n, 2).toDoubleArray();
            Var x = Var.leaf(Tensor.of(xv, n, 2)), y = Var.leaf(Tensor.of(yv, n, 2));
            Var h = Ksivi.bandwidth(est, x, y, n);
            Var[] g = Autodiff.grad(h, new Var[] {x, y}, null, false);
            double eps = 1e-6;
            for (int side = 0; side < 2; side++) {
                double[] v = side == 0 ? xv : yv, got = g[side].value().toDoubleArray();
                for (int i = 0; i < v.length; i++) {
                    double keep = v[i];
                    v[i] = keep + eps;
                    double up = value(est, xv, yv, n);
                    v[i] = keep - eps;
                    double down = value(est, xv, yv, n);
                    v[i] = keep;
                    assertEquals((up - down) / (2 * eps), got[i], 1e-8, "seed " + seed + (side == 0 ? " x" : " y") + "[" + i + "]");
                }
            }
        }
    }

    private static double value(Ksivi.Estimator est, double[] xv, double[] yv, int n) {
        return Ksivi.bandwidth(est, Var.leaf(Tensor.of(xv, n, 2)), Var.leaf(Tensor.of(yv, n, 2)), n).item();
    }
}
