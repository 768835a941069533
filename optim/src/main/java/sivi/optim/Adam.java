package sivi.optim;

import java.util.HashMap;
import java.util.Map;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Adam (Kingma &amp; Ba 2015) with bias correction, optional AMSGrad (Reddi et al. 2018) and
 * L2 weight decay added to the gradient, as {@code torch.optim.Adam}. Arithmetic in double.
 */
public final class Adam implements Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final boolean amsgrad;
    private final Map<String, double[]> m = new HashMap<>(), v = new HashMap<>(), vmax = new HashMap<>();
    private final Map<String, Long> t = new HashMap<>();
    /** Scratch for θ and g in double (not state; regrown to the largest parameter). */
    private double[] thBuf = new double[0], gBuf = new double[0];

    public Adam(double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Adam betas must be in [0, 1): " + beta1 + ", " + beta2);
        this.beta1 = beta1; this.beta2 = beta2; this.eps = eps; this.weightDecay = weightDecay; this.amsgrad = amsgrad;
    }

    /** The betas (0.9, 0.99) of the SIVI-SM / KSIVI reference recipes, eps 1e-8. */
    public static Adam reference() { return new Adam(0.9, 0.99, 1e-8, 0, false); }

    @Override public void step(Params params, Map<String, Tensor> grads, double lr) {
        for (var e : grads.entrySet()) {
            String name = e.getKey();
            Tensor p = params.get(name).contiguous(), g = e.getValue().contiguous();
            int n = p.size();
            double[] mm = m.computeIfAbsent(name, k -> new double[n]);
            double[] vv = v.computeIfAbsent(name, k -> new double[n]);
            double[] vm = amsgrad ? vmax.computeIfAbsent(name, k -> new double[n]) : null;
            long step = t.merge(name, 1L, Long::sum);
            double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
            // θ and g widened into reused scratch (fresh double copies of both were a fifth of a SIVI-SM
            // step), then the update as one plain loop over double arrays, which C2 vectorises
            if (thBuf.length < n) { thBuf = new double[n]; gBuf = new double[n]; }
            double[] th = widen(p, thBuf), gd = widen(g, gBuf);
            for (int i = 0; i < n; i++) {
                double gi = gd[i] + weightDecay * th[i];
                mm[i] = beta1 * mm[i] + (1 - beta1) * gi;
                vv[i] = beta2 * vv[i] + (1 - beta2) * gi * gi;
                double vh = vv[i];
                if (amsgrad) { vm[i] = Math.max(vm[i], vv[i]); vh = vm[i]; }
                th[i] -= lr * (mm[i] / bc1) / (Math.sqrt(vh / bc2) + eps);
            }
            if (p.dtype() == DType.F32) {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) out[i] = (float) th[i];
                params.put(name, Tensor.wrap(out, p.shape()));
            } else {
                params.put(name, Tensor.wrap(java.util.Arrays.copyOf(th, n), p.shape()));
            }
        }
    }

    /** t's values (contiguous) as doubles in buf[0..size). */
    private static double[] widen(Tensor t, double[] buf) {
        int n = t.size(), o = t.offset();
        if (t.dtype() == DType.F64) System.arraycopy(t.doubleStorage(), o, buf, 0, n);
        else { float[] f = t.floatStorage(); for (int i = 0; i < n; i++) buf[i] = f[o + i]; }
        return buf;
    }

    @Override public Params state() {
        Params s = new Params();
        m.forEach((k, a) -> s.put("m/" + k, Tensor.of(a, a.length)));
        v.forEach((k, a) -> s.put("v/" + k, Tensor.of(a, a.length)));
        vmax.forEach((k, a) -> s.put("vmax/" + k, Tensor.of(a, a.length)));
        t.forEach((k, n) -> s.put("t/" + k, Tensor.of(new double[] {n}, 1)));
        return s;
    }

    @Override public void load(Params state) {
        m.clear(); v.clear(); vmax.clear(); t.clear();
        for (String k : state.names()) {
            int slash = k.indexOf('/');
            String kind = k.substring(0, slash), name = k.substring(slash + 1);
            double[] a = state.get(k).toDoubleArray();
            switch (kind) {
                case "m" -> m.put(name, a);
                case "v" -> v.put(name, a);
                case "vmax" -> vmax.put(name, a);
                case "t" -> t.put(name, (long) a[0]);
                default -> throw new IllegalArgumentException("unknown Adam state entry " + k);
            }
        }
    }
}
