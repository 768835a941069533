package sivi.targets;

import java.util.Optional;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * The banana of the original SIVI code (Yin &amp; Zhou 2018, {@code SIVI_2d.py}):
 * x₁ ~ N(0, 2²), x₂ | x₁ ~ N(x₁²/4, 1). Normalised; analytic score and HVP.
 * <p>As implemented: docs/targets.md#banana-sivi2018.
 */
public final class BananaSivi2018 implements Target {
    private static final double CONST = -Math.log(2 * Math.PI) - Math.log(2);

    @Override public String name() { return "banana-sivi2018"; }
    @Override public int dim() { return 2; }
    @Override public boolean isNormalised() { return true; }
    @Override public double[] plotBox() { return new double[] {-6, 6, -2, 10}; }

    @Override public Var logDensity(Var x) {
        Var x1 = reshape(slice(x, 1, 0, 1), -1), x2 = reshape(slice(x, 1, 1, 2), -1);
        Var r = sub(x2, scale(square(x1), 0.25));
        return addScalar(add(scale(square(x1), -1.0 / 8), scale(square(r), -0.5)), CONST);
    }

    @Override public Tensor scoreValue(Tensor x) {
        double[] a = x.toDoubleArray(), s = new double[a.length];
        for (int n = 0; n < a.length / 2; n++) {
            double x1 = a[2 * n], r = a[2 * n + 1] - x1 * x1 / 4;
            s[2 * n] = -x1 / 4 + r * x1 / 2;
            s[2 * n + 1] = -r;
        }
        return Tensor.of(x.dtype(), s, x.shape());
    }

    /** H = [[−¼ + r/2 − x₁²/4, x₁/2], [x₁/2, −1]] with r = x₂ − x₁²/4. */
    @Override public Tensor hvpValue(Tensor x, Tensor u) {
        double[] a = x.toDoubleArray(), b = u.toDoubleArray(), o = new double[a.length];
        for (int n = 0; n < a.length / 2; n++) {
            double x1 = a[2 * n], r = a[2 * n + 1] - x1 * x1 / 4, u1 = b[2 * n], u2 = b[2 * n + 1];
            o[2 * n] = (-0.25 + r / 2 - x1 * x1 / 4) * u1 + x1 / 2 * u2;
            o[2 * n + 1] = x1 / 2 * u1 - u2;
        }
        return Tensor.of(x.dtype(), o, x.shape());
    }

    @Override public Optional<Tensor> exactSample(Rng rng, int n) {
        double[] s = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double x1 = 2 * rng.nextGaussian();
            s[2 * k] = x1;
            s[2 * k + 1] = x1 * x1 / 4 + rng.nextGaussian();
        }
        return Optional.of(Tensor.wrap(s, n, 2));
    }
}
