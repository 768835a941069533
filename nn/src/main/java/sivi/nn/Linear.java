package sivi.nn;

import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.tensor.DType;

/** y = act(x W + b), parameters "{name}.weight" (in×out) and "{name}.bias" (out); fused op. */
public record Linear(String name, int in, int out, Activation act) {

    /** Registers freshly initialised parameters (PyTorch defaults) and returns the layer. */
    public static Linear create(Params params, String name, int in, int out, Activation act, Rng rng, DType dt) {
        params.add(name + ".weight", Init.linearWeight(rng, dt, in, out));
        params.add(name + ".bias", Init.linearBias(rng, dt, in, out));
        return new Linear(name, in, out, act);
    }

    public Var forward(Params.Bound p, Var x) {
        return Ops.dense(act, x, p.get(name + ".weight"), p.get(name + ".bias"));
    }
}
