package sivi.repro;

import sivi.autodiff.Var;
import sivi.targets.Target;

import static sivi.autodiff.Ops.*;

/** The d-dimensional product of standard Laplace densities, log p(x) = Σ_i (−|x_i| − ln 2); the IWHVI toy's q as a target. */
final class ProductLaplace implements Target {
    private final int d;

    ProductLaplace(int d) { this.d = d; }

    @Override public String name() { return "laplace-product"; }
    @Override public int dim() { return d; }
    @Override public boolean isNormalised() { return true; }
    @Override public Var logDensity(Var x) { return addScalar(neg(sum(abs(x), 1, false)), -d * Math.log(2)); }
}
