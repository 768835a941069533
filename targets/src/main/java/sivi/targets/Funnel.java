package sivi.targets;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Neal's funnel (Neal 2003) in d dimensions: v ~ N(0, 3²), x_i | v ~ N(0, e^v) for i = 1..d−1.
 * Coordinates are (v, x_1, …, x_{d−1}). Normalised; analytic score and HVP.
 * <p>As implemented: docs/targets.md#funnel.
 */
public final class Funnel implements Target {
    private final int d;

    public Funnel(int d) {
        if (d < 2) throw new IllegalArgumentException("funnel needs d >= 2, got " + d);
        this.d = d;
    }

    @Override public String name() { return "funnel"; }
    @Override public int dim() { return d; }
    @Override public boolean isNormalised() { return true; }
    @Override public double[] plotBox() { return new double[] {-9, 9, -20, 20}; }

    @Override public List<String> names() {
        List<String> n = new ArrayList<>();
        n.add("v");
        for (int i = 1; i < d; i++) n.add("x" + i);
        return n;
    }

    @Override public Var logDensity(Var x) {
        Var v = reshape(slice(x, 1, 0, 1), -1);
        Var rest = slice(x, 1, 1, d);
        double c = -0.5 * Math.log(2 * Math.PI * 9) - 0.5 * (d - 1) * Math.log(2 * Math.PI);
        Var lv = scale(square(v), -1.0 / 18);
        Var sq = sum(square(rest), 1, false);
        Var lx = sub(scale(mul(sq, exp(neg(v))), -0.5), scale(v, 0.5 * (d - 1)));
        return addScalar(add(lv, lx), c);
    }

    @Override public Tensor scoreValue(Tensor x) {
        double[] a = x.toDoubleArray(), s = new double[a.length];
        for (int n = 0; n < a.length / d; n++) {
            double v = a[n * d], ev = Math.exp(-v), sq = 0;
            for (int i = 1; i < d; i++) { double xi = a[n * d + i]; sq += xi * xi; s[n * d + i] = -xi * ev; }
            s[n * d] = -v / 9 - 0.5 * (d - 1) + 0.5 * sq * ev;
        }
        return Tensor.of(x.dtype(), s, x.shape());
    }

    /** H = [[−1/9 − ½Σx²e^{−v}, x_j e^{−v}], [x_i e^{−v}, −e^{−v} δ_ij]]. */
    @Override public Tensor hvpValue(Tensor x, Tensor u) {
        double[] a = x.toDoubleArray(), b = u.toDoubleArray(), r = new double[a.length];
        for (int n = 0; n < a.length / d; n++) {
            double v = a[n * d], ev = Math.exp(-v), sq = 0, cross = 0, uv = b[n * d];
            for (int i = 1; i < d; i++) {
                double xi = a[n * d + i], ui = b[n * d + i];
                sq += xi * xi;
                cross += xi * ui;
                r[n * d + i] = xi * ev * uv - ev * ui;
            }
            r[n * d] = (-1.0 / 9 - 0.5 * sq * ev) * uv + ev * cross;
        }
        return Tensor.of(x.dtype(), r, x.shape());
    }

    @Override public Optional<Tensor> exactSample(Rng rng, int n) {
        double[] s = new double[n * d];
        for (int k = 0; k < n; k++) {
            double v = 3 * rng.nextGaussian(), sd = Math.exp(v / 2);
            s[k * d] = v;
            for (int i = 1; i < d; i++) s[k * d + i] = sd * rng.nextGaussian();
        }
        return Optional.of(Tensor.wrap(s, n, d));
    }
}
