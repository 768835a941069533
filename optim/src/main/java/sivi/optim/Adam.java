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
    /** Scratch for θ and g in double, one pair per part (not state; regrown to the largest parameter). */
    private double[][] buffers = new double[0][];

    public Adam(double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Adam betas must be in [0, 1): " + beta1 + ", " + beta2);
        this.beta1 = beta1; this.beta2 = beta2; this.eps = eps; this.weightDecay = weightDecay; this.amsgrad = amsgrad;
    }

    /** The betas (0.9, 0.99) of the SIVI-SM / KSIVI reference recipes, eps 1e-8. */
    public static Adam reference() { return new Adam(0.9, 0.99, 1e-8, 0, false); }

    /** Elements per thread below which the update runs on the caller alone (a hand-off costs about a microsecond). */
    static final int MIN_PER_PART = 8192;

    /** One parameter's update: its values and gradient, moments, bias corrections and the array the new values go to. */
    private record Work(String name, Tensor p, Tensor g, double[] mm, double[] vv, double[] vm, double bc1, double bc2, Object out) {}

    @Override public void step(Params params, Map<String, Tensor> grads, double lr) {
        java.util.List<Work> work = new java.util.ArrayList<>(grads.size());
        long total = 0;
        for (var e : grads.entrySet()) {
            String name = e.getKey();
            Tensor p = params.get(name).contiguous(), g = e.getValue().contiguous();
            int n = p.size();
            double[] mm = m.computeIfAbsent(name, k -> new double[n]);
            double[] vv = v.computeIfAbsent(name, k -> new double[n]);
            double[] vm = amsgrad ? vmax.computeIfAbsent(name, k -> new double[n]) : null;
            long step = t.merge(name, 1L, Long::sum);
            double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
            work.add(new Work(name, p, g, mm, vv, vm, bc1, bc2, p.dtype() == DType.F32 ? new float[n] : new double[n]));
            total += n;
        }
        // every element's update is independent of the others, so splitting the elements over threads changes no bit
        sivi.kernels.Backend be = sivi.kernels.Kernels.current();
        int parts = be.partsFor(total, MIN_PER_PART);
        int max = 0;
        for (Work w : work) max = Math.max(max, w.p().size());
        double[][] buf = scratch(parts, max);
        if (parts == 1) for (Work w : work) update(w, 0, w.p().size(), buf[0], buf[1], lr);
        else be.parts(parts, k -> { for (Work w : work) update(w, chunk(w, k, parts), chunk(w, k + 1, parts), buf[2 * k], buf[2 * k + 1], lr); });
        for (Work w : work)
            params.put(w.name(), w.out() instanceof float[] f ? Tensor.wrap(f, w.p().shape()) : Tensor.wrap((double[]) w.out(), w.p().shape()));
    }

    /** Scratch for θ and g per part ({θ_0, g_0, θ_1, g_1, …}), each of at least n elements; regrown, not state. */
    private double[][] scratch(int parts, int n) {
        if (buffers.length < 2 * parts || buffers[0].length < n) {
            buffers = new double[2 * parts][];
            for (int i = 0; i < buffers.length; i++) buffers[i] = new double[n];
        }
        return buffers;
    }

    private static int chunk(Work w, int k, int parts) { return (int) ((long) w.p().size() * k / parts); }

    /**
     * Elements [lo, hi) of one parameter: θ and g widened into scratch at the same indices (fresh double copies of both
     * were a fifth of a SIVI-SM step), then the update as one plain loop over double arrays with one index, which C2
     * vectorises, then narrowed into out.
     */
    private void update(Work w, int lo, int hi, double[] th, double[] gd, double lr) {
        widen(w.p(), lo, hi, th);
        widen(w.g(), lo, hi, gd);
        double[] mm = w.mm(), vv = w.vv(), vm = w.vm();
        double bc1 = w.bc1(), bc2 = w.bc2();
        for (int i = lo; i < hi; i++) {
            double gi = gd[i] + weightDecay * th[i];
            mm[i] = beta1 * mm[i] + (1 - beta1) * gi;
            vv[i] = beta2 * vv[i] + (1 - beta2) * gi * gi;
            double vh = vv[i];
            if (amsgrad) { vm[i] = Math.max(vm[i], vv[i]); vh = vm[i]; }
            th[i] -= lr * (mm[i] / bc1) / (Math.sqrt(vh / bc2) + eps);
        }
        if (w.out() instanceof float[] out) for (int i = lo; i < hi; i++) out[i] = (float) th[i];
        else System.arraycopy(th, lo, (double[]) w.out(), lo, hi - lo);
    }

    /** Elements [lo, hi) of t (contiguous) as doubles in buf[lo..hi). */
    private static void widen(Tensor t, int lo, int hi, double[] buf) {
        int o = t.offset();
        if (t.dtype() == DType.F64) System.arraycopy(t.doubleStorage(), o + lo, buf, lo, hi - lo);
        else { float[] f = t.floatStorage(); for (int i = lo; i < hi; i++) buf[i] = f[o + i]; }
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
