package sivi.targets;

import java.util.Optional;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * The banana of the SIVI-SM / KSIVI papers (reference code {@code Banana_shape}): with
 * y = (x₁, x₁² + x₂ + 1) and y ~ N(0, Σ), Σ = [[1, 0.9], [0.9, 1]]; the map has unit Jacobian, so
 * log p(x) = −log 2π − ½ log 0.19 − ½ yᵀΣ⁻¹y (normalised). Analytic score and HVP.
 * <p>As implemented: docs/targets.md#banana.
 */
public final class Banana implements Target {
    private static final double RHO = 0.9, DET = 1 - RHO * RHO;
    private static final double CONST = -Math.log(2 * Math.PI) - 0.5 * Math.log(DET);

    @Override public String name() { return "banana"; }
    @Override public int dim() { return 2; }
    @Override public boolean isNormalised() { return true; }
    @Override public double[] plotBox() { return new double[] {-3.5, 3.5, -6, 1}; }

    @Override public Var logDensity(Var x) {
        Var x1 = reshape(slice(x, 1, 0, 1), -1), x2 = reshape(slice(x, 1, 1, 2), -1);
        Var y1 = x1, y2 = addScalar(add(square(x1), x2), 1);
        Var q = add(sub(square(y1), scale(mul(y1, y2), 2 * RHO)), square(y2));
        return addScalar(scale(q, -0.5 / DET), CONST);
    }

    @Override public Tensor scoreValue(Tensor x) {
        double[] a = x.toDoubleArray(), s = new double[a.length];
        for (int n = 0; n < a.length / 2; n++) {
            double x1 = a[2 * n], y2 = x1 * x1 + a[2 * n + 1] + 1;
            double v1 = (x1 - RHO * y2) / DET, v2 = (y2 - RHO * x1) / DET;
            s[2 * n] = -(v1 + 2 * x1 * v2);
            s[2 * n + 1] = -v2;
        }
        return Tensor.of(x.dtype(), s, x.shape());
    }

    /** H·u = −Jᵀ Σ⁻¹ J u − 2 v₂ u₁ e₁ with J = [[1, 0], [2x₁, 1]] and v = Σ⁻¹y. */
    @Override public Tensor hvpValue(Tensor x, Tensor u) {
        double[] a = x.toDoubleArray(), b = u.toDoubleArray(), r = new double[a.length];
        for (int n = 0; n < a.length / 2; n++) {
            double x1 = a[2 * n], y2 = x1 * x1 + a[2 * n + 1] + 1;
            double v2 = (y2 - RHO * x1) / DET;
            double u1 = b[2 * n], u2 = b[2 * n + 1];
            double j1 = u1, j2 = 2 * x1 * u1 + u2;                 // J u
            double w1 = (j1 - RHO * j2) / DET, w2 = (j2 - RHO * j1) / DET; // Σ⁻¹ J u
            r[2 * n] = -(w1 + 2 * x1 * w2) - 2 * v2 * u1;
            r[2 * n + 1] = -w2;
        }
        return Tensor.of(x.dtype(), r, x.shape());
    }

    /** y ~ N(0, Σ), then x = (y₁, y₂ − y₁² − 1). */
    @Override public Optional<Tensor> exactSample(Rng rng, int n) {
        double[] s = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double z1 = rng.nextGaussian(), z2 = rng.nextGaussian();
            double y1 = z1, y2 = RHO * z1 + Math.sqrt(DET) * z2;
            s[2 * i] = y1;
            s[2 * i + 1] = y2 - y1 * y1 - 1;
        }
        return Optional.of(Tensor.wrap(s, n, 2));
    }
}
