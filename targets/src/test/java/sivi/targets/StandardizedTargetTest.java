package sivi.targets;

import org.junit.jupiter.api.Test;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.constant;

class StandardizedTargetTest {
    static final double[] M = {0.7, -1.3}, S = {2.5, 0.2};

    static Tensor points() {
        Rng rng = new Rng(11);
        double[] v = new double[7 * 2];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        return Tensor.of(DType.F64, v, 7, 2);
    }

    static void close(Tensor a, Tensor b, double tol) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) assertEquals(y[i], x[i], tol * (1 + Math.abs(y[i])), "entry " + i);
    }

    static Tensor scaled(Tensor t, double a, double b) {
        double[] x = t.toDoubleArray();
        for (int i = 0; i < x.length; i++) x[i] = a * x[i] + b;
        return Tensor.of(DType.F64, x, t.shape());
    }

    /** N(μ, diag σ²) standardised by m = μ, s = σ is N(0, I): the Jacobian term makes it normalised again. */
    @Test void gaussianStandardisedByItsOwnMomentsIsStandardNormal() {
        Gaussian g = new Gaussian(M, new double[][] {{S[0] * S[0], 0}, {0, S[1] * S[1]}});
        StandardizedTarget t = new StandardizedTarget(g, M, S);
        assertStandardNormal(t);
    }

    /** log N(u; 0, I), score −u and HVP −v at random points. */
    static void assertStandardNormal(Target t) {
        Tensor u = points();
        double[] lp = t.logDensity(constant(u)).value().toDoubleArray(), uu = u.toDoubleArray();
        for (int n = 0; n < lp.length; n++) {
            double q = uu[2 * n] * uu[2 * n] + uu[2 * n + 1] * uu[2 * n + 1];
            assertEquals(-0.5 * q - Math.log(2 * Math.PI), lp[n], 1e-12);
        }
        close(t.scoreValue(u), scaled(u, -1, 0), 1e-12);
        close(t.hvpValue(u, u), scaled(u, -1, 0), 1e-12);   // the Hessian is −I
    }

    /** Score and HVP through the target's analytic ones (banana) against autodiff of the standardised log density. */
    @Test void scoreAndHvpMatchAutodiffOfTheLogDensity() {
        StandardizedTarget t = new StandardizedTarget(Targets.banana(), M, S);
        Target auto = Target.of("autodiff", 2, t::logDensity);
        Tensor u = points(), v = scaled(points(), 0.3, 0.1);
        close(t.scoreValue(u), auto.scoreValue(u), 1e-10);
        close(t.hvpValue(u, v), auto.hvpValue(u, v), 1e-10);
        Target.ScoreWithCache c = t.scoreWithCache(u);
        close(c.score(), auto.scoreValue(u), 1e-10);
        close(t.hvpValue(u, v, c.cache()), auto.hvpValue(u, v), 1e-10);
        Var x = Var.leaf(u);
        close(t.score(x).value(), auto.scoreValue(u), 1e-10);
    }

    @Test void constrainMapsBackToTheTargetsCoordinatesAndUnconstrainInverts() {
        StandardizedTarget t = new StandardizedTarget(Targets.banana(), M, S);
        Tensor u = points();
        double[] y = t.constrain(u).toDoubleArray(), uu = u.toDoubleArray();
        for (int i = 0; i < y.length; i++) assertEquals(M[i % 2] + S[i % 2] * uu[i], y[i], 1e-12);
        close(t.unconstrain(t.constrain(u)), u, 1e-12);
    }

    static final double[][] L = {{1.5, 0}, {-0.8, 0.3}};

    /** N(μ, LLᵀ) whitened by m = μ and its Cholesky factor L is N(0, I). */
    @Test void correlatedGaussianWhitenedByItsCholeskyFactorIsStandardNormal() {
        double[][] cov = {{L[0][0] * L[0][0], L[0][0] * L[1][0]}, {L[0][0] * L[1][0], L[1][0] * L[1][0] + L[1][1] * L[1][1]}};
        StandardizedTarget t = StandardizedTarget.whitened(new Gaussian(M, cov), M, L);
        assertStandardNormal(t);
    }

    @Test void whitenedScoreHvpAndInverseMatchAutodiffAndTheMap() {
        StandardizedTarget t = StandardizedTarget.whitened(Targets.banana(), M, L);
        Target auto = Target.of("autodiff", 2, t::logDensity);
        Tensor u = points(), v = scaled(points(), 0.3, 0.1);
        close(t.scoreValue(u), auto.scoreValue(u), 1e-10);
        close(t.hvpValue(u, v), auto.hvpValue(u, v), 1e-10);
        Target.ScoreWithCache c = t.scoreWithCache(u);
        close(t.hvpValue(u, v, c.cache()), auto.hvpValue(u, v), 1e-10);
        double[] y = t.constrain(u).toDoubleArray(), uu = u.toDoubleArray();
        for (int n = 0; n < y.length / 2; n++) {
            assertEquals(M[0] + L[0][0] * uu[2 * n], y[2 * n], 1e-12);
            assertEquals(M[1] + L[1][0] * uu[2 * n] + L[1][1] * uu[2 * n + 1], y[2 * n + 1], 1e-12);
        }
        close(t.unconstrain(t.constrain(u)), u, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> StandardizedTarget.whitened(Targets.banana(), M, new double[][] {{1, 0.5}, {0, 1}}));
    }

    @Test void badLocationOrScaleIsAnErrorNamingIt() {
        Target b = Targets.banana();
        assertThrows(IllegalArgumentException.class, () -> new StandardizedTarget(b, new double[] {0}, S));
        var e = assertThrows(IllegalArgumentException.class, () -> new StandardizedTarget(b, M, new double[] {1, 0}));
        assertTrue(e.getMessage().contains("scale 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StandardizedTarget(b, new double[] {Double.NaN, 0}, S));
    }
}
