package sivi.optim;

import java.util.HashMap;
import java.util.Map;
import sivi.nn.Params;
import sivi.tensor.Tensor;

/**
 * The step rule of the original SVGD code (Liu &amp; Wang 2016): an exponential moving average of
 * squared gradients, H ← α·H + (1 − α)·g² (H = g² on the first step), then θ ← θ − lr·g/(fudge + √H).
 * Used with g = −φ (the SVGD direction), so that the update ascends.
 */
public final class AdaGradMomentum implements Optimizer {
    private final double alpha, fudge;
    private final Map<String, double[]> hist = new HashMap<>();

    public AdaGradMomentum(double alpha, double fudge) { this.alpha = alpha; this.fudge = fudge; }

    /** α = 0.9, fudge 1e-6 as in the SVGD reference code. */
    public static AdaGradMomentum reference() { return new AdaGradMomentum(0.9, 1e-6); }

    @Override public void step(Params params, Map<String, Tensor> grads, double lr) {
        for (var e : grads.entrySet()) {
            Tensor p = params.get(e.getKey());
            double[] th = p.toDoubleArray(), g = e.getValue().toDoubleArray();
            double[] h = hist.get(e.getKey());
            if (h == null) { h = new double[g.length]; for (int i = 0; i < g.length; i++) h[i] = g[i] * g[i]; hist.put(e.getKey(), h); }
            else for (int i = 0; i < g.length; i++) h[i] = alpha * h[i] + (1 - alpha) * g[i] * g[i];
            for (int i = 0; i < th.length; i++) th[i] -= lr * g[i] / (fudge + Math.sqrt(h[i]));
            params.put(e.getKey(), Tensor.of(p.dtype(), th, p.shape()));
        }
    }

    @Override public Params state() {
        Params s = new Params();
        hist.forEach((k, a) -> s.put("h/" + k, Tensor.of(a, a.length)));
        return s;
    }

    @Override public void load(Params state) {
        hist.clear();
        for (String k : state.names()) hist.put(k.substring(k.indexOf('/') + 1), state.get(k).toDoubleArray());
    }
}
