package sivi.optim;

import sivi.nn.Params;
import sivi.tensor.Tensor;

/** Exponential moving average of parameters: θ̄ ← d·θ̄ + (1 − d)·θ (first update copies θ). */
public final class Ema {
    private final double decay;
    private Params shadow;

    public Ema(double decay) {
        if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException("EMA decay must be in [0, 1): " + decay);
        this.decay = decay;
    }

    public void update(Params params) {
        if (shadow == null) { shadow = params.copy(); return; }
        for (String k : params.names()) {
            Tensor p = params.get(k);
            double[] a = shadow.get(k).toDoubleArray(), b = p.toDoubleArray();
            for (int i = 0; i < a.length; i++) a[i] = decay * a[i] + (1 - decay) * b[i];
            shadow.put(k, Tensor.of(p.dtype(), a, p.shape()));
        }
    }

    /** A copy of the averaged parameters (null before the first update); the average itself is never handed out. */
    public Params averaged() { return shadow == null ? null : shadow.copy(); }

    public void load(Params averaged) { shadow = averaged == null ? null : averaged.copy(); }
}
