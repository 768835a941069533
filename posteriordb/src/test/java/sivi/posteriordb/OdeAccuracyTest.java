package sivi.posteriordb;

import java.util.Map;
import org.junit.jupiter.api.Test;
import sivi.targets.Target;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ODE ports' fixed RK4 steps are fine enough: at reference draws, the log density with the
 * port's step differs from one with a step 8× smaller (RK4's error then 8⁴ ≈ 4000× smaller, so this
 * is the port's own discretization error to 0.03 %) by less than 0.01 nats, i.e. the density is
 * off by under 1 % where the posterior lives.
 */
class OdeAccuracyTest {
    static void check(String posterior, java.util.function.DoubleFunction<StanDoubles.Model> oracle, double step) throws Exception {
        Target t = Posteriors.create(posterior);
        double[] x = PortsTest.points(t, posterior).toDoubleArray();
        int d = t.dim();
        StanDoubles.Model coarse = oracle.apply(step), fine = oracle.apply(step / 8);
        for (int r = 0; r < x.length / d; r++) {
            Map<String, double[]> y = PortsTest.outputs(t, java.util.Arrays.copyOfRange(x, r * d, (r + 1) * d));
            double err = Math.abs(coarse.at(y).lp() - fine.at(y).lp());
            System.out.printf("ODE %s row %d: |lp(h) - lp(h/8)| = %.3g%n", posterior, r, err);
            assertTrue(err < 0.01, posterior + " row " + r + ": RK4 error " + err + " nats");
        }
    }

    @Test void lotkaVolterra() throws Exception { check("hudson_lynx_hare-lotka_volterra", StanDoubles::lotkaVolterra, Ode.LotkaVolterra.STEP); }

    @Test void oneCompartment() throws Exception { check("one_comp_mm_elim_abs-one_comp_mm_elim_abs", StanDoubles::oneComp, Ode.OneComp.STEP); }
}
