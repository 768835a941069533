package sivi.nn;

import java.util.ArrayList;
import java.util.List;
import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.tensor.DType;

/** Multi-layer perceptron: Linear → act → … → Linear (no activation on the output layer). */
public record Mlp(String name, List<Linear> layers) {

    /** sizes = [in, hidden..., out]; parameters "{name}.{i}.weight/bias". */
    public static Mlp create(Params params, String name, int[] sizes, Activation act, Rng rng, DType dt) {
        if (sizes.length < 2) throw new IllegalArgumentException("Mlp needs at least input and output sizes");
        List<Linear> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            Activation a = i + 2 == sizes.length ? Activation.IDENTITY : act;
            layers.add(Linear.create(params, name + "." + i, sizes[i], sizes[i + 1], a, rng, dt));
        }
        return new Mlp(name, List.copyOf(layers));
    }

    public Var forward(Params.Bound p, Var x) {
        Var h = x;
        for (Linear l : layers) h = l.forward(p, h);
        return h;
    }

    public int in() { return layers.get(0).in(); }
    public int out() { return layers.get(layers.size() - 1).out(); }
}
