package sivi.diffusion;

import java.util.ArrayList;
import java.util.List;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Linear;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Noise-prediction network ε(x, t₁, …, t_k) = MLP([x, emb(t₁), …, emb(t_k)]) with the sinusoidal
 * time embedding of the Transformer / DDPM (Vaswani et al. 2017 §3.5; Ho et al. 2020 App. B):
 * emb(t)_j = sin(t·ω_j), emb(t)_{j+E/2} = cos(t·ω_j), ω_j = 10000^{−j/(E/2)}, t in DDPM steps.
 *
 * <p>A DDPM teacher takes one time (k = 1); CoSIM's transition kernel and its auxiliary score
 * network take two (the start time t and the target time s, k = 2). {@link #copyTo} copies a
 * network's weights under a new parameter prefix and may add time inputs, whose first-layer
 * weights are set to zero, so that the copy computes exactly the original function (HSIVI/CoSIM
 * initialise the generator and the critic from the teacher, docs/algorithms.md#hsivi-sm).
 *
 * <p>Shapes: x is N×d, each time array has length N (one time per row), output N×d. Parameters
 * "{prefix}.{i}.weight" (in×out) and "{prefix}.{i}.bias".
 */
public record EpsNet(String prefix, int dim, int embDim, int times, int hidden, int depth, Activation act) {
    public EpsNet {
        if (embDim <= 0 || embDim % 2 != 0) throw new IllegalArgumentException("time embedding size must be even and positive, got " + embDim);
        if (times < 1) throw new IllegalArgumentException("an eps network takes at least one time, got " + times);
        if (depth < 1) throw new IllegalArgumentException("depth (hidden layers) must be >= 1, got " + depth);
    }

    /** Registers freshly initialised weights (PyTorch defaults) for a net with {@code depth} hidden layers of {@code hidden} units. */
    public static EpsNet create(Params params, String prefix, int dim, int embDim, int times, int hidden, int depth, Activation act, Rng rng, DType dt) {
        EpsNet net = new EpsNet(prefix, dim, embDim, times, hidden, depth, act);
        Mlp.create(params, prefix, net.sizes(), act, rng, dt);
        return net;
    }

    int[] sizes() {
        int[] s = new int[depth + 2];
        s[0] = dim + times * embDim;
        for (int i = 1; i <= depth; i++) s[i] = hidden;
        s[depth + 1] = dim;
        return s;
    }

    private Mlp mlp() {
        int[] s = sizes();
        List<Linear> layers = new ArrayList<>();
        for (int i = 0; i + 1 < s.length; i++) layers.add(new Linear(prefix + "." + i, s[i], s[i + 1], i + 2 == s.length ? Activation.IDENTITY : act));
        return new Mlp(prefix, layers);
    }

    /** The sinusoidal embedding of one time per row: N×E. */
    public static Tensor embedding(double[] t, int embDim, DType dt) {
        int half = embDim / 2;
        double[] v = new double[t.length * embDim];
        for (int n = 0; n < t.length; n++)
            for (int j = 0; j < half; j++) {
                double w = Math.exp(-Math.log(10000.0) * j / half);
                v[n * embDim + j] = Math.sin(t[n] * w);
                v[n * embDim + half + j] = Math.cos(t[n] * w);
            }
        return Tensor.of(dt, v, t.length, embDim);
    }

    /** ε(x, t…) as a graph node; the bound parameters decide what is trainable (constants: frozen, input still differentiable). */
    public Var forward(Params.Bound p, Var x, double[]... t) {
        if (t.length != times) throw new IllegalArgumentException(prefix + ": expects " + times + " time input(s), got " + t.length);
        Var[] parts = new Var[times + 1];
        parts[0] = x;
        for (int k = 0; k < times; k++) {
            if (t[k].length != x.dim(0)) throw new IllegalArgumentException(prefix + ": " + t[k].length + " times for " + x.dim(0) + " rows");
            parts[k + 1] = Ops.constant(embedding(t[k], embDim, x.dtype()));
        }
        return mlp().forward(p, Ops.concat(1, parts));
    }

    /** ε(x, t…) as a value, no graph, in the weights' dtype (the samplers keep their state in f64 whatever the net). */
    public Tensor eval(Params params, Tensor x, double[]... t) {
        Tensor in = x.cast(params.get(prefix + ".0.weight").dtype());
        return GradMode.noGrad(() -> forward(params.bind(k -> false), Var.constant(in), t).value());
    }

    /** The parameter names of this net within a parameter set. */
    public List<String> paramNames() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i <= depth; i++) { out.add(prefix + "." + i + ".weight"); out.add(prefix + "." + i + ".bias"); }
        return out;
    }

    /**
     * Copies this net's weights (read from {@code src}) into {@code dst} under {@code newPrefix}, with
     * {@code newTimes} ≥ times time inputs; the first-layer rows of the added inputs are zero, so the
     * copy computes the same function of (x, t₁) whatever the extra times.
     */
    public EpsNet copyTo(Params src, Params dst, String newPrefix, int newTimes) {
        if (newTimes < times) throw new IllegalArgumentException("cannot drop time inputs when copying");
        EpsNet out = new EpsNet(newPrefix, dim, embDim, newTimes, hidden, depth, act);
        for (int i = 0; i <= depth; i++) {
            Tensor w = src.get(prefix + "." + i + ".weight"), b = src.get(prefix + "." + i + ".bias");
            if (i == 0 && newTimes > times) {
                int in = w.dim(0), o = w.dim(1), newIn = dim + newTimes * embDim;
                double[] nv = new double[newIn * o];
                System.arraycopy(w.toDoubleArray(), 0, nv, 0, in * o);
                w = Tensor.of(w.dtype(), nv, newIn, o);
            }
            dst.put(newPrefix + "." + i + ".weight", w);
            dst.put(newPrefix + "." + i + ".bias", b);
        }
        return out;
    }

    /** Architecture as metadata strings (for saved models). */
    public java.util.Map<String, String> meta(String key) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(key + ".prefix", prefix); m.put(key + ".dim", "" + dim); m.put(key + ".emb", "" + embDim);
        m.put(key + ".times", "" + times); m.put(key + ".hidden", "" + hidden); m.put(key + ".depth", "" + depth);
        m.put(key + ".act", act.name().toLowerCase());
        return m;
    }

    public static EpsNet fromMeta(java.util.Map<String, String> m, String key) {
        try {
            return new EpsNet(m.get(key + ".prefix"), Integer.parseInt(m.get(key + ".dim")), Integer.parseInt(m.get(key + ".emb")),
                    Integer.parseInt(m.get(key + ".times")), Integer.parseInt(m.get(key + ".hidden")), Integer.parseInt(m.get(key + ".depth")),
                    Activation.parse(m.get(key + ".act")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("saved model lacks a valid '" + key + "' network description: " + e.getMessage(), e);
        }
    }
}
