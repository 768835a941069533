package sivi.optim;

import java.util.HashMap;
import java.util.Map;
import sivi.nn.Params;
import sivi.tensor.Tensor;

/** Plain SGD with optional (heavy-ball) momentum, as {@code torch.optim.SGD} without dampening. */
public final class Sgd implements Optimizer {
    private final double momentum;
    private final Map<String, double[]> buf = new HashMap<>();

    public Sgd(double momentum) { this.momentum = momentum; }

    @Override public void step(Params params, Map<String, Tensor> grads, double lr) {
        for (var e : grads.entrySet()) {
            Tensor p = params.get(e.getKey());
            double[] th = p.toDoubleArray(), g = e.getValue().toDoubleArray();
            if (momentum != 0) {
                double[] b = buf.get(e.getKey());
                if (b == null) { b = g.clone(); buf.put(e.getKey(), b); }
                else for (int i = 0; i < b.length; i++) b[i] = momentum * b[i] + g[i];
                g = b;
            }
            for (int i = 0; i < th.length; i++) th[i] -= lr * g[i];
            params.put(e.getKey(), Tensor.of(p.dtype(), th, p.shape()));
        }
    }

    @Override public Params state() {
        Params s = new Params();
        buf.forEach((k, a) -> s.put("buf/" + k, Tensor.of(a, a.length)));
        return s;
    }

    @Override public void load(Params state) {
        buf.clear();
        for (String k : state.names()) buf.put(k.substring(k.indexOf('/') + 1), state.get(k).toDoubleArray());
    }
}
