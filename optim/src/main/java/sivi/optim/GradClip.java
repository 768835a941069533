package sivi.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import sivi.tensor.Tensor;

/** Gradient-norm clipping as {@code torch.nn.utils.clip_grad_norm_}: scale all by min(1, max/(‖g‖₂ + 1e-6)). */
public final class GradClip {
    private GradClip() {}

    /** The global L2 norm over all gradients. */
    public static double norm(Map<String, Tensor> grads) {
        double s = 0;
        for (Tensor g : grads.values()) for (double v : g.toDoubleArray()) s += v * v;
        return Math.sqrt(s);
    }

    public static Map<String, Tensor> byGlobalNorm(Map<String, Tensor> grads, double maxNorm) {
        double n = norm(grads);
        double c = maxNorm / (n + 1e-6);
        if (c >= 1) return grads;
        Map<String, Tensor> out = new LinkedHashMap<>();
        grads.forEach((k, g) -> {
            double[] v = g.toDoubleArray();
            for (int i = 0; i < v.length; i++) v[i] *= c;
            out.put(k, Tensor.of(g.dtype(), v, g.shape()));
        });
        return out;
    }
}
