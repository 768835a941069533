package sivi.methods;

import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.*;

/** The KPG-IS proposal r(z | x) (Pielok et al. 2026, docs/algorithms.md#kpg-is). */
class KpgProposalTest {

    /** The differentiable log-density (used to fit r) and the array version (used in the weights) agree. */
    @Test void bothLogDensitiesAgree() {
        Params params = new Params();
        Kpg.Proposal r = Kpg.Proposal.create(params, 2, 3, 8, 0.01, 0.9, new Rng(1), DType.F64);
        Rng rng = new Rng(2);
        Tensor x = rng.normal(DType.F64, 5, 2), z = rng.normal(DType.F64, 5, 3);
        GradMode.noGrad(() -> {
            Params.Bound p = params.bind();
            double[] got = r.logDensity(p, constant(x), constant(z)).value().toDoubleArray();
            Kpg.Proposal.Heads h = r.heads(p, constant(x));
            double[] a = h.alpha().value().toDoubleArray(), m = h.mean().value().toDoubleArray(), s = h.scale().value().toDoubleArray();
            double[] zv = z.toDoubleArray();
            for (int n = 0; n < 5; n++) {
                assertTrue(a[n] >= 0.01 && a[n] <= 0.9, "alpha out of [alpha_inf, alpha_sup]: " + a[n]);
                double want = Kpg.Proposal.logMixture(java.util.Arrays.copyOfRange(zv, 3 * n, 3 * n + 3), a[n], m, s, 3 * n);
                assertEquals(want, got[n], 1e-10 * (1 + Math.abs(want)));   // same formula, f64 rounding
            }
            return null;
        });
    }

    /** A density: with d_z = 1, ∫ r(z | x) dz = 1 (trapezoid on [−30, 30], step 1e-3: error ≪ 1e-4). */
    @Test void integratesToOne() {
        Params params = new Params();
        Kpg.Proposal r = Kpg.Proposal.create(params, 2, 1, 8, 0.2, 0.6, new Rng(3), DType.F64);
        int k = 60001;
        double[] zs = new double[k];
        for (int i = 0; i < k; i++) zs[i] = -30 + i * 1e-3;
        double[] xs = new double[2 * k];
        for (int i = 0; i < k; i++) { xs[2 * i] = 0.3; xs[2 * i + 1] = -1.2; }
        double[] lr = GradMode.noGrad(() -> r.logDensity(params.bind(), constant(Tensor.of(DType.F64, xs, k, 2)), constant(Tensor.of(DType.F64, zs, k, 1))).value().toDoubleArray());
        double integral = 0;
        for (int i = 0; i + 1 < k; i++) integral += 0.5 * 1e-3 * (Math.exp(lr[i]) + Math.exp(lr[i + 1]));
        assertEquals(1.0, integral, 1e-4);
    }
}
