package sivi.methods;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.*;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sivi.autodiff.Autodiff;
import sivi.autodiff.Var;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;
import sivi.kernels.StationaryKernel;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * KSIVI's pairwise pass split by rows over the parts ({@link Ksivi#pairwiseByRows}: each part pairs its own rows with
 * all columns in one kernel call, column gradients and the bandwidth's gradient summed over the parts) against the
 * plain step's autodiff graph on the whole batch (one {@code ksdQuadratic} op, the U-statistic's diagonal dropped,
 * the median bandwidth differentiated): the same loss and leaf gradients up to float64 rounding, for 1, 2, 3 and 5
 * uneven parts, both estimators, the three kernels, the median and a fixed bandwidth, on 1 and 2 threads.
 */
class KsiviPairwiseByRowsTest {

    private static Tensor rand(SplittableRandom r, int rows, int cols, double scale) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = scale * r.nextGaussian();
        return Tensor.of(DType.F64, v, rows, cols);
    }

    @ParameterizedTest(name = "{0} u={1} detach={2} fixed={3}, {4} parts, {5} threads")
    @CsvSource({
            "RBF, true, false, 0, 1, 1", "RBF, true, false, 0, 2, 2", "RBF, true, false, 0, 3, 2", "RBF, true, false, 0, 5, 1",
            "RBF, false, false, 0, 2, 2", "RBF, false, false, 0, 3, 1", "RBF, true, true, 0, 2, 2", "RBF, false, false, 0.8, 3, 2",
            "IMQ, true, true, 0, 2, 2", "IMQ, false, true, 0, 3, 2", "LAPLACE, true, true, 0, 3, 2", "LAPLACE, false, true, 0, 2, 1"})
    void theSplitPassIsTheWholeBatchGraph(StationaryKernel kernel, boolean u, boolean detach, double fixed, int parts, int threads) {
        int n = 37, d = 3;
        var r = new SplittableRandom(11 + parts);
        Ksivi.Estimator est = new Ksivi.Estimator(kernel, u, detach, false, fixed);
        Tensor xv = rand(r, n, d, 1.0), dv = rand(r, n, d, 0.7), xbv = rand(r, n, d, 1.0), dbv = rand(r, n, d, 0.7);
        try (Backend backend = Backends.create("simd", threads)) {
            Kernels.with(backend, () -> {
                // the plain step's graph
                Var xa = Var.leaf(xv), dA = Var.leaf(dv), xb = u ? xa : Var.leaf(xbv), dB = u ? dA : Var.leaf(dbv);
                Var quad = ksdQuadratic(kernel, xa, xb, dA, dB, Ksivi.bandwidth(est, xa, xb, n));
                if (u) quad = sub(quad, sum(square(dA)));
                Var loss = scale(quad, 1.0 / ((double) n * n));
                Var[] leaves = u ? new Var[] {xa, dA} : new Var[] {xa, dA, xb, dB};
                Var[] want = Autodiff.grad(loss, leaves, null, false);
                // the split pass on fresh leaves with the same values
                Var xa2 = Var.leaf(xv), dA2 = Var.leaf(dv), xb2 = u ? xa2 : Var.leaf(xbv), dB2 = u ? dA2 : Var.leaf(dbv);
                Tensor[] rowsX = new Tensor[parts], rowsD = new Tensor[parts];
                for (int k = 0; k < parts; k++) {
                    int lo = n * k / parts, hi = n * (k + 1) / parts;
                    rowsX[k] = xv.slice(0, lo, hi).contiguous();
                    rowsD[k] = dv.slice(0, lo, hi).contiguous();
                }
                double[] got = new double[1];
                Tensor[] g = Ksivi.pairwiseByRows(est, rowsX, rowsD, xa2, dA2, xb2, dB2, Ksivi.bandwidth(est, xa2, xb2, n), n, got);
                assertEquals(loss.item(), got[0], 1e-12 * Math.abs(loss.item()), "loss");
                assertEquals(leaves.length, g.length);
                boolean bandwidthGradientSeen = false;
                for (int i = 0; i < g.length; i++) {
                    double[] w = want[i].value().toDoubleArray(), a = g[i].toDoubleArray();
                    double scale = 0;
                    for (double v : w) scale = Math.max(scale, Math.abs(v));
                    assertTrue(scale > 0, "leaf " + i + " has a gradient");
                    for (int j = 0; j < w.length; j++) assertEquals(w[j], a[j], 1e-11 * scale, "leaf " + i + " [" + j + "]");
                }
                if (kernel == StationaryKernel.RBF && !detach && fixed == 0) {
                    // the check would see a bandwidth gradient left out: without it the x gradient differs
                    Var xa3 = Var.leaf(xv), xb3 = u ? xa3 : Var.leaf(xbv);
                    Var hDetached = Ksivi.bandwidth(est, xa3, xb3, n).detach();
                    Tensor[] noH = Ksivi.pairwiseByRows(est, rowsX, rowsD, xa3, Var.leaf(dv), xb3, u ? Var.leaf(dv) : Var.leaf(dbv), hDetached, n, new double[1]);
                    double[] w = want[0].value().toDoubleArray(), a = noH[0].toDoubleArray();
                    double diff = 0;
                    for (int j = 0; j < w.length; j++) diff = Math.max(diff, Math.abs(w[j] - a[j]));
                    bandwidthGradientSeen = diff > 1e-6;
                    assertTrue(bandwidthGradientSeen, "the median bandwidth's gradient changes the x gradient (max diff " + diff + ")");
                }
                return null;
            });
        }
    }
}
