package sivi.families;

import java.util.ArrayList;
import java.util.List;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Init;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * A normalising flow q(x) (docs/algorithms.md#flow): base ξ ~ N(0, I_d), an elementwise affine z₀ = μ + e^ω ⊙ ξ
 * (so that 0 layers is the mean-field Gaussian) and L invertible layers z_l = f_l(z_{l−1}), x = z_L, with
 * <pre>  log q(x) = log N(ξ; 0, I) − Σ_j ω_j − Σ_l log |det ∂f_l/∂z_{l−1}|. </pre>
 * Layers:
 * <ul>
 * <li>planar (Rezende &amp; Mohamed 2015, eqs. 10–12): f(z) = z + û tanh(wᵀz + b), log|det| = log(1 + (1 − tanh²)·wᵀû),
 *   with û = u + (m(wᵀu) − wᵀu) w/‖w‖², m(a) = −1 + softplus(a), which keeps wᵀû &gt; −1 (invertible).
 *   The inverse has no closed form: {@link #logDensity} is not available (a scalar root per layer, values only, in
 *   {@link #logDensityValue}).</li>
 * <li>realnvp (Dinh, Sohl-Dickstein &amp; Bengio 2017, affine coupling): split z = (z_a, z_b) in halves, alternating which
 *   half conditions; y_a = z_a, y_b = z_b ⊙ exp(s(z_a)) + t(z_a), (s, t) one MLP (tanh hidden layers), log|det| = Σ s.</li>
 * <li>iaf (Kingma et al. 2016, inverse autoregressive flow): (m, s) = MADE(z) (Germain et al. 2015: masked layers so that
 *   output i sees only the inputs before i in the layer's order; orders alternate natural/reversed), y = m + exp(s) ⊙ z,
 *   log|det| = Σ s. The inverse takes d sequential passes.</li>
 * </ul>
 * The last layer of every network is initialised to zero, so a new flow is the base affine map ([ours]; Dinh et al.
 * and Kingma et al. initialise near the identity as well). Parameters "{prefix}.mu", "{prefix}.log_sigma", "{prefix}.l{i}.*".
 */
public final class Flow implements Family {
    public enum Kind { PLANAR, REALNVP, IAF }

    private final String prefix;
    private final int d;
    private final Kind kind;
    private final int layers;
    private final DType dtype;
    private final List<Mlp> couplings = new ArrayList<>();
    private final List<Tensor[]> madeMasks = new ArrayList<>();
    private final List<int[]> orders = new ArrayList<>();

    private Flow(String prefix, int d, Kind kind, int layers, DType dtype) {
        this.prefix = prefix; this.d = d; this.kind = kind; this.layers = layers; this.dtype = dtype;
    }

    /** Registers the parameters; hidden = widths of the coupling / MADE networks (empty: linear). */
    public static Flow create(Params params, String prefix, int d, Kind kind, int layers, int[] hidden, double logSigmaInit, Rng rng, DType dt) {
        if (d < 1) throw new IllegalArgumentException("flow family needs d >= 1, got " + d);
        if (layers < 0) throw new IllegalArgumentException("flow: layers must be >= 0, got " + layers);
        if (kind != Kind.PLANAR && d < 2 && layers > 0) throw new IllegalArgumentException("flow=" + kind.name().toLowerCase() + " needs d >= 2 (it splits the coordinates), got d = " + d);
        Flow f = new Flow(prefix, d, kind, layers, dt);
        params.add(prefix + ".mu", Tensor.zeros(dt, 1, d));
        params.add(prefix + ".log_sigma", Tensor.full(dt, logSigmaInit, 1, d));
        for (int l = 0; l < layers; l++) {
            String n = prefix + ".l" + l;
            switch (kind) {
                case PLANAR -> {
                    params.add(n + ".u", Init.uniform(rng, dt, 0.1, 1, d));
                    params.add(n + ".w", Init.uniform(rng, dt, 0.1, 1, d));
                    params.add(n + ".b", Tensor.zeros(dt, 1, 1));
                }
                case REALNVP -> {
                    int a = f.conditioningSize(l), b = d - a;
                    int[] sizes = new int[hidden.length + 2];
                    sizes[0] = a;
                    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
                    sizes[sizes.length - 1] = 2 * b;
                    Mlp m = Mlp.create(params, n + ".net", sizes, Activation.TANH, rng, dt);
                    zeroLast(params, m.name() + "." + (sizes.length - 2), sizes[sizes.length - 2], 2 * b, dt);
                    f.couplings.add(m);
                }
                case IAF -> f.addMade(params, n, l, hidden, rng, dt);
            }
        }
        return f;
    }

    private static void zeroLast(Params params, String name, int in, int out, DType dt) {
        params.put(name + ".weight", Tensor.zeros(dt, in, out));
        params.put(name + ".bias", Tensor.zeros(dt, out));
    }

    /** Coupling layer l conditions on the first ⌈d/2⌉ coordinates when l is even, on the last ⌊d/2⌋ otherwise. */
    private int conditioningSize(int l) { return l % 2 == 0 ? (d + 1) / 2 : d / 2; }

    /**
     * MADE masks (Germain et al. 2015): input j has degree ord[j] ∈ 1..d, hidden unit k degree 1 + k mod (d − 1), a
     * hidden unit sees inputs of degree ≤ its own, output i (of m and of s) sees units of degree &lt; ord[i].
     */
    private void addMade(Params params, String n, int l, int[] hidden, Rng rng, DType dt) {
        int[] ord = new int[d];
        for (int j = 0; j < d; j++) ord[j] = l % 2 == 0 ? j + 1 : d - j;
        List<int[]> degrees = new ArrayList<>();
        degrees.add(ord);
        for (int h : hidden) {
            int[] deg = new int[h];
            for (int k = 0; k < h; k++) deg[k] = 1 + k % Math.max(1, d - 1);
            degrees.add(deg);
        }
        int[] out = new int[2 * d];
        for (int i = 0; i < 2 * d; i++) out[i] = ord[i % d];
        Tensor[] masks = new Tensor[hidden.length + 1];
        for (int i = 0; i <= hidden.length; i++) {
            int[] din = degrees.get(i);
            boolean last = i == hidden.length;
            int[] dout = last ? out : degrees.get(i + 1);
            double[] m = new double[din.length * dout.length];
            for (int a = 0; a < din.length; a++)
                for (int b = 0; b < dout.length; b++) m[a * dout.length + b] = (last ? din[a] < dout[b] : din[a] <= dout[b]) ? 1 : 0;
            masks[i] = Tensor.of(dt, m, din.length, dout.length);
            String name = n + ".made" + i;
            if (last) zeroLast(params, name, din.length, dout.length, dt);
            else {
                params.add(name + ".weight", Init.linearWeight(rng, dt, din.length, dout.length));
                params.add(name + ".bias", Init.linearBias(rng, dt, din.length, dout.length));
            }
        }
        madeMasks.add(masks);
        orders.add(ord);
    }

    public Kind kind() { return kind; }

    public int layers() { return layers; }

    @Override public int dim() { return d; }

    /** Draw.x and Draw.xi (the base noise); no mixing variable, no Gaussian conditional. */
    @Override public Draw sample(Params.Bound p, Rng rng, int n) {
        Var xi = constant(rng.normal(dtype, n, d));
        return new Draw(forward(p, xi)[0], null, xi, null, null);
    }

    @Override public Scored sampleWithLogDensity(Params.Bound p, Rng rng, int n) {
        Var xi = constant(rng.normal(dtype, n, d));
        Var[] f = forward(p, xi);
        return new Scored(f[0], sub(Gaussians.standardLogPdf(xi), f[1]));
    }

    /** x = f(ξ) and log|det ∂x/∂ξ| per row: {x (n×d), logDet (n)}. */
    public Var[] forward(Params.Bound p, Var xi) {
        Var logSigma = p.get(prefix + ".log_sigma");
        Var z = add(p.get(prefix + ".mu"), mul(exp(logSigma), xi));
        Var logDet = broadcastTo(reshape(sum(logSigma), 1), new int[] {xi.dim(0)});
        for (int l = 0; l < layers; l++) {
            Var[] r = switch (kind) {
                case PLANAR -> planar(p, l, z);
                case REALNVP -> coupling(p, l, z);
                case IAF -> iaf(p, l, z);
            };
            z = r[0];
            logDet = add(logDet, r[1]);
        }
        return new Var[] {z, logDet};
    }

    private Var[] planar(Params.Bound p, int l, Var z) {
        String n = prefix + ".l" + l;
        Var u = p.get(n + ".u"), w = p.get(n + ".w");
        Var wu = sum(mul(w, u), 1, true);                                              // 1×1
        Var uHat = add(u, mul(div(sub(addScalar(softplus(wu), -1), wu), sum(square(w), 1, true)), w));
        Var h = tanh(add(matmul(z, w, false, true), p.get(n + ".b")));                 // n×1
        Var wuHat = sum(mul(w, uHat), 1, true);                                        // m(wᵀu) > −1
        Var det = addScalar(mul(affine(square(h), -1, 1), wuHat), 1);                   // n×1, > 0
        return new Var[] {add(z, mul(h, uHat)), reshape(log(det), z.dim(0))};
    }

    private Var[] coupling(Params.Bound p, int l, Var z) {
        int a = conditioningSize(l);
        boolean first = l % 2 == 0;
        Var za = first ? slice(z, 1, 0, a) : slice(z, 1, d - a, d);
        Var zb = first ? slice(z, 1, a, d) : slice(z, 1, 0, d - a);
        int b = d - a;
        Var st = couplings.get(l).forward(p, za);
        Var s = slice(st, 1, 0, b), t = slice(st, 1, b, 2 * b);
        Var yb = add(mul(zb, exp(s)), t);
        return new Var[] {first ? concat(1, za, yb) : concat(1, yb, za), sum(s, 1, false)};
    }

    /** (m, s) = MADE_l(z), each n×d. */
    private Var[] made(Params.Bound p, int l, Var z) {
        Tensor[] masks = madeMasks.get(l);
        Var h = z;
        for (int i = 0; i < masks.length; i++) {
            String name = prefix + ".l" + l + ".made" + i;
            h = add(matmul(h, mul(p.get(name + ".weight"), constant(masks[i]))), p.get(name + ".bias"));
            if (i + 1 < masks.length) h = tanh(h);
        }
        return new Var[] {slice(h, 1, 0, d), slice(h, 1, d, 2 * d)};
    }

    private Var[] iaf(Params.Bound p, int l, Var z) {
        Var[] ms = made(p, l, z);
        return new Var[] {add(ms[0], mul(exp(ms[1]), z)), sum(ms[1], 1, false)};
    }

    /** Whether {@link #logDensity} is available (realnvp and iaf: inverse in closed form / d passes). */
    @Override public boolean hasExactLogDensity() { return kind != Kind.PLANAR || layers == 0; }

    /** log q(x) per row through the inverse, differentiable in x and the parameters (realnvp, iaf). */
    @Override public Var logDensity(Params.Bound p, Var x) {
        if (!hasExactLogDensity())
            throw new UnsupportedOperationException("flow=planar has no closed-form inverse, so log q at a given x is not differentiable here; "
                    + "use the log-density of its own draws (sampleWithLogDensity) or flow=realnvp|iaf");
        Var z = x, logDet = null;
        for (int l = layers - 1; l >= 0; l--) {
            Var[] r = kind == Kind.REALNVP ? couplingInverse(p, l, z) : iafInverse(p, l, z);
            z = r[0];
            logDet = logDet == null ? r[1] : add(logDet, r[1]);
        }
        Var logSigma = p.get(prefix + ".log_sigma");
        Var xi = div(sub(z, p.get(prefix + ".mu")), exp(logSigma));
        Var lq = sub(Gaussians.standardLogPdf(xi), broadcastTo(reshape(sum(logSigma), 1), new int[] {x.dim(0)}));
        return logDet == null ? lq : sub(lq, logDet);
    }

    private Var[] couplingInverse(Params.Bound p, int l, Var y) {
        int a = conditioningSize(l), b = d - a;
        boolean first = l % 2 == 0;
        Var ya = first ? slice(y, 1, 0, a) : slice(y, 1, d - a, d);
        Var yb = first ? slice(y, 1, a, d) : slice(y, 1, 0, d - a);
        Var st = couplings.get(l).forward(p, ya);
        Var s = slice(st, 1, 0, b), t = slice(st, 1, b, 2 * b);
        Var zb = mul(sub(yb, t), exp(neg(s)));
        return new Var[] {first ? concat(1, ya, zb) : concat(1, zb, ya), sum(s, 1, false)};
    }

    /** z from y = m(z) + exp(s(z)) ⊙ z: pass k fixes the coordinate of order k (autoregressive), d passes in all. */
    private Var[] iafInverse(Params.Bound p, int l, Var y) {
        Var z = zerosLike(y);
        Var[] ms = null;
        for (int k = 0; k < d; k++) {
            ms = made(p, l, z);
            z = mul(sub(y, ms[0]), exp(neg(ms[1])));
        }
        ms = made(p, l, z);
        return new Var[] {z, sum(ms[1], 1, false)};
    }

    /**
     * log q(x) as values (no graph) for every kind: planar layers are inverted one at a time by bisection on
     * α = wᵀz (wᵀy = α + wᵀû·tanh(α + b) is increasing in α since wᵀû &gt; −1), to 1e-14 relative.
     */
    public Tensor logDensityValue(Params params, Tensor x) {
        if (hasExactLogDensity()) return GradMode.noGrad(() -> logDensity(params.bind(), constant(x)).value());
        return GradMode.noGrad(() -> {
            Params.Bound p = params.bind();
            int n = x.dim(0);
            double[] y = x.toDoubleArray(), logDet = new double[n];
            for (int l = layers - 1; l >= 0; l--) {
                String nm = prefix + ".l" + l;
                Var u = p.get(nm + ".u"), w = p.get(nm + ".w");
                Var wu = sum(mul(w, u), 1, true);
                double[] uh = add(u, mul(div(sub(addScalar(softplus(wu), -1), wu), sum(square(w), 1, true)), w)).value().toDoubleArray();
                double[] wv = w.value().toDoubleArray();
                double b = p.get(nm + ".b").value().toDoubleArray()[0], wuh = 0;
                for (int j = 0; j < d; j++) wuh += wv[j] * uh[j];
                for (int i = 0; i < n; i++) {
                    double wy = 0;
                    for (int j = 0; j < d; j++) wy += wv[j] * y[i * d + j];
                    double lo = wy - Math.abs(wuh) - 1, hi = wy + Math.abs(wuh) + 1;
                    for (int it = 0; it < 200 && hi - lo > 1e-14 * Math.max(1, Math.abs(hi)); it++) {
                        double mid = 0.5 * (lo + hi);
                        if (mid + wuh * Math.tanh(mid + b) < wy) lo = mid; else hi = mid;
                    }
                    double h = Math.tanh(0.5 * (lo + hi) + b);
                    for (int j = 0; j < d; j++) y[i * d + j] -= uh[j] * h;
                    logDet[i] += Math.log(1 + (1 - h * h) * wuh);
                }
            }
            double[] mu = p.get(prefix + ".mu").value().toDoubleArray(), ls = p.get(prefix + ".log_sigma").value().toDoubleArray();
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double s = -logDet[i];
                for (int j = 0; j < d; j++) {
                    double xi = (y[i * d + j] - mu[j]) / Math.exp(ls[j]);
                    s += -0.5 * xi * xi - 0.5 * Gaussians.LOG_2PI - ls[j];
                }
                out[i] = s;
            }
            return Tensor.of(x.dtype(), out, n);
        });
    }
}
