package sivi.methods;

import sivi.autodiff.Autodiff;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.optim.Lbfgs;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/** The target as a float64 function for the optimisation-based methods (laplace, pathfinder): −log p, its gradient and Hessian. */
final class Modes {
    private Modes() {}

    /** −log p(x) with its gradient from one reverse pass; counts[0] += 1 per call (the "gradient evaluations"). */
    static Lbfgs.Objective negLogDensity(Target t, long[] counts) {
        return (x, grad) -> {
            counts[0]++;
            double[] f = new double[1];
            Tensor g = GradMode.with(true, () -> {
                Var xv = Var.leaf(Tensor.of(DType.F64, x, 1, x.length));
                Var y = neg(sum(t.logDensity(xv)));
                f[0] = y.item();
                return Autodiff.grad(y, new Var[] {xv}, null, false)[0].value();
            });
            System.arraycopy(g.toDoubleArray(), 0, grad, 0, x.length);
            return f[0];
        };
    }

    /** log p at the rows of x (n×d, float64 values), no graph. */
    static double[] logDensity(Target t, double[] x, int n) {
        int d = x.length / n;
        return GradMode.noGrad(() -> t.logDensity(constant(Tensor.of(DType.F64, x, n, d))).value().toDoubleArray());
    }

    /**
     * The Hessian of −log p at x (d×d, symmetrised), from d Hessian-vector products against the unit
     * vectors, batched as one HVP call on d copies of x; counts[0] += d.
     */
    static double[] hessian(Target t, double[] x, long[] counts) {
        int d = x.length;
        double[] rows = new double[d * d], eye = new double[d * d];
        for (int i = 0; i < d; i++) { System.arraycopy(x, 0, rows, i * d, d); eye[i * d + i] = 1; }
        double[] hv = t.hvpValue(Tensor.of(DType.F64, rows, d, d), Tensor.of(DType.F64, eye, d, d)).toDoubleArray();
        counts[0] += d;
        double[] h = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) h[i * d + j] = -0.5 * (hv[i * d + j] + hv[j * d + i]);
        return h;
    }

    /**
     * Fresh starts tried for one start slot of Laplace or Pathfinder before it counts as failed (a start where
     * log p is not finite, or that ends at no usable mode or Gaussian, is replaced).
     */
    static final int START_TRIES = 10;

    /** A start drawn uniformly from (−r, r)^d, Stan's default initialisation (r = 2) that Pathfinder uses. */
    static double[] uniformStart(Rng rng, int d, double radius) {
        double[] x = new double[d];
        for (int i = 0; i < d; i++) x[i] = radius * (2 * rng.nextDouble() - 1);
        return x;
    }
}
