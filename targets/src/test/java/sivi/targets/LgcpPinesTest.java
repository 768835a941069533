package sivi.targets;

import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

class LgcpPinesTest {

    @Test void fortyGridHasTheDocumentedCounts() {
        // docs/targets.md#lgcp-pines: M = 40 gives 111 non-empty cells, largest count 3, all 126 points inside
        double[] n = LgcpPines.counts(40);
        int nonEmpty = 0; double max = 0, total = 0;
        for (double c : n) { if (c > 0) nonEmpty++; max = Math.max(max, c); total += c; }
        assertEquals(1600, n.length);
        assertEquals(111, nonEmpty);
        assertEquals(3, max);
        assertEquals(126, total);
        assertEquals(1600, new LgcpPines(40).dim());
        assertEquals("lgcp-pines", new LgcpPines(40).name());
    }

    @Test void whitenedDensityEqualsTheFieldDefinition() {
        // log p(z) = −½‖z‖² + Σ (f n − e^f / d) with f = μ + L z, recomputed from field(z), counts()
        LgcpPines t = new LgcpPines(20);
        double[] z = new Rng(9).normal(DType.F64, 1, 400).toDoubleArray();
        double[] f = t.field(z), n = t.counts();
        double want = 0;
        for (int i = 0; i < 400; i++) want += -0.5 * z[i] * z[i] + f[i] * n[i] - Math.exp(f[i]) / 400;
        double got = GradMode.noGrad(() -> t.logDensity(Var.constant(Tensor.of(DType.F64, z, 1, 400))).value()).item();
        assertEquals(want, got, 1e-10 * Math.abs(want));
    }

    @Test void fieldHasThePriorCovariance() {
        // Cov(f) = L Lᵀ = K: check K_pq = σ² exp(−‖g_p − g_q‖/(Mβ)) through field(e_k) − μ = L e_k
        LgcpPines t = new LgcpPines(20);
        int d = 400;
        double[][] cols = new double[d][];
        for (int k = 0; k < d; k++) {
            double[] e = new double[d];
            e[k] = 1;
            cols[k] = t.field(e);
            for (int i = 0; i < d; i++) cols[k][i] -= LgcpPines.MU;
        }
        int[][] pairs = {{0, 0}, {0, 1}, {0, 21}, {37, 250}, {399, 0}};
        for (int[] pq : pairs) {
            double k = 0;
            for (int c = 0; c < d; c++) k += cols[c][pq[0]] * cols[c][pq[1]];
            double dr = pq[0] / 20 - pq[1] / 20, dc = pq[0] % 20 - pq[1] % 20;
            double want = LgcpPines.SIGMA2 * Math.exp(-Math.hypot(dr, dc) / (20 * LgcpPines.BETA));
            assertEquals(want, k, 1e-12, "K[" + pq[0] + "," + pq[1] + "]");
        }
    }
}
