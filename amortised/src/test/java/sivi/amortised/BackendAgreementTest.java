package sivi.amortised;

import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.constant;

/**
 * The bounds in f32 on the scalar (reference) and SIMD backends, MNIST-sized (784 pixels), same draws.
 * Each log w is a sum of n ≤ 784 + 200 float terms, whose rounding error is at most n·u·Σ|terms|
 * (Higham, u = 2⁻²⁴, ≈ 6e-5 relative for n = 984); two summation orders differ by at most twice that,
 * and Σ|terms| is within a small factor of |log w| here (Bernoulli terms are all ≤ 0), so we accept a
 * relative difference of 1e-3 on the per-image bounds.
 */
class BackendAgreementTest {
    static double[] bounds(String backend, boolean semi) {
        try (Backend be = Backends.create(backend, 1)) {
            return Kernels.with(be, () -> GradMode.noGrad(() -> {
                Params p = new Params();
                Rng r = new Rng(1);
                Decoder dec = BernoulliDecoder.create(p, 8, new int[] {50}, Mnist.PIXELS, r, DType.F32);
                Encoder enc = semi ? SemiImplicitEncoder.create(p, Mnist.PIXELS, 50, 8, 4, r, DType.F32) : GaussianEncoder.create(p, Mnist.PIXELS, new int[] {50}, 8, r, DType.F32);
                Vae vae = new Vae(dec, enc, semi ? ReverseModel.create(p, Mnist.PIXELS, 50, 8, 4, r, DType.F32) : null);
                Rng xr = new Rng(2);
                double[] v = new double[3 * Mnist.PIXELS];
                for (int i = 0; i < v.length; i++) v[i] = xr.nextDouble() < 0.15 ? 1 : 0;
                Var x = constant(Tensor.of(DType.F32, v, 3, Mnist.PIXELS));
                Var logW = semi ? Bounds.semiImplicit(vae, p.bind(k -> false), x, 7, 5, true, new Rng(3)) : Bounds.gaussian(vae, p.bind(k -> false), x, 7, new Rng(3), false);
                return Bounds.importanceWeighted(logW).value().toDoubleArray();
            }));
        }
    }

    @Test void scalarAndSimdBackendsAgreeInF32() {
        for (boolean semi : new boolean[] {false, true}) {
            double[] a = bounds("scalar", semi), b = bounds("simd", semi);
            for (int i = 0; i < a.length; i++) {
                assertTrue(Double.isFinite(a[i]));
                assertEquals(a[i], b[i], 1e-3 * Math.abs(a[i]), (semi ? "sivae" : "vae") + " image " + i);
            }
        }
    }
}
