package sivi.fit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.nn.Params;
import sivi.optim.Ema;
import sivi.optim.GradClip;
import sivi.optim.LrSchedule;
import sivi.optim.Optimizer;
import sivi.tensor.Tensor;

/**
 * Everything a method carries between iterations that a checkpoint must hold: the parameters
 * (of the family and of auxiliary networks such as SIVI-SM's critic), one optimiser per
 * parameter group with its schedule and clipping, and an optional EMA of the parameters.
 * Updating goes through {@link #apply}, the one place that checks gradients for NaN/∞.
 */
public final class TrainState {
    /** A set of parameters (by name prefix) updated together by one optimiser. */
    public record Group(String name, List<String> prefixes, Optimizer optimizer, LrSchedule schedule, double clipNorm) {
        boolean contains(String param) {
            for (String p : prefixes) if (param.startsWith(p)) return true;
            return false;
        }
    }

    private final Params params = new Params();
    private final LinkedHashMap<String, Group> groups = new LinkedHashMap<>();
    private Ema ema;
    private boolean skipNonFinite;

    public Params params() { return params; }

    /** Declares a parameter group. clipNorm ≤ 0 disables clipping. */
    public void addGroup(String name, List<String> prefixes, Optimizer optimizer, LrSchedule schedule, double clipNorm) {
        if (groups.containsKey(name)) throw new IllegalArgumentException("parameter group '" + name + "' declared twice");
        groups.put(name, new Group(name, List.copyOf(prefixes), optimizer, schedule, clipNorm));
    }

    public Group group(String name) {
        Group g = groups.get(name);
        if (g == null) throw new IllegalArgumentException("no parameter group '" + name + "' (have " + groups.keySet() + ")");
        return g;
    }

    public List<Group> groups() { return new ArrayList<>(groups.values()); }

    public void enableEma(double decay) { ema = new Ema(decay); }

    public Ema ema() { return ema; }

    /** When set, an iteration with a non-finite gradient is skipped (no update) instead of stopping. */
    public void setSkipNonFinite(boolean skip) { this.skipNonFinite = skip; }

    /** All parameters as leaves. */
    public Params.Bound bind() { return params.bind(); }

    /** Only the group's parameters are leaves; the others are constants (frozen for this pass). */
    public Params.Bound bind(String group) {
        Group g = group(group);
        return params.bind(g::contains);
    }

    /** The learning rate of a group at an iteration. */
    public double lr(String group, int iteration) { return group(group).schedule().lr(iteration); }

    /**
     * One optimiser step of a group: checks every gradient is finite (else throws
     * {@link NonFiniteException} naming the parameter, or skips when allowed), clips, updates.
     * Returns false if the step was skipped.
     */
    public boolean apply(String group, Map<String, Tensor> grads, int iteration) { return apply(group, grads, iteration, iteration); }

    /**
     * The same with the schedule read at {@code scheduleStep} instead of the iteration: a group updated several times per
     * iteration (SIVI-SM's critic with {@code ftimes} &gt; 1) counts its own updates, as torch's StepLR does when the
     * reference scripts step it after each update. Errors still name the iteration.
     */
    public boolean apply(String group, Map<String, Tensor> grads, int iteration, int scheduleStep) {
        Group g = group(group);
        for (var e : grads.entrySet()) {
            if (!g.contains(e.getKey())) throw new IllegalArgumentException("gradient for '" + e.getKey() + "' is not in group '" + group + "'");
            int bad = firstNonFinite(e.getValue());
            if (bad >= 0) {
                if (skipNonFinite) return false;
                throw new NonFiniteException(iteration, "gradient of " + e.getKey(), "value " + e.getValue().contiguous().toDoubleArray()[bad]);
            }
        }
        Map<String, Tensor> clipped = g.clipNorm() > 0 ? GradClip.byGlobalNorm(grads, g.clipNorm()) : grads;
        g.optimizer().step(params, clipped, g.schedule().lr(scheduleStep));
        return true;
    }

    /** The index of the first NaN or ±∞ in row-major order, or −1; read in place (no copy per step). */
    static int firstNonFinite(Tensor t) {
        Tensor c = t.contiguous();
        int n = c.size(), o = c.offset();
        if (c.dtype() == sivi.tensor.DType.F32) {
            float[] v = c.floatStorage();
            for (int i = 0; i < n; i++) if (!Float.isFinite(v[o + i])) return i;
        } else {
            double[] v = c.doubleStorage();
            for (int i = 0; i < n; i++) if (!Double.isFinite(v[o + i])) return i;
        }
        return -1;
    }

    /** Called by the trainer once per iteration after the method's step. */
    void afterStep() { if (ema != null) ema.update(params); }

    /** Parameters to sample from: the EMA when enabled, else the current ones. */
    public Params evaluationParams() { return ema != null && ema.averaged() != null ? ema.averaged() : params; }

    /** Everything as named tensors, for a checkpoint. */
    public Map<String, Tensor> snapshot() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        params.asMap().forEach((k, v) -> out.put("param/" + k, v));
        for (Group g : groups.values()) g.optimizer().state().asMap().forEach((k, v) -> out.put("opt/" + g.name() + "/" + k, v));
        if (ema != null && ema.averaged() != null) ema.averaged().asMap().forEach((k, v) -> out.put("ema/" + k, v));
        return out;
    }

    /** Restores a {@link #snapshot()}. */
    public void restore(Map<String, Tensor> snap) {
        Map<String, Params> opt = new LinkedHashMap<>();
        Params emaParams = new Params();
        for (var e : snap.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("param/")) {
                String name = k.substring(6);
                if (!params.has(name)) throw new IllegalArgumentException("checkpoint has parameter '" + name + "' that this model does not");
                Tensor cur = params.get(name);
                if (!java.util.Arrays.equals(cur.shape(), e.getValue().shape()))
                    throw new IllegalArgumentException("checkpoint parameter '" + name + "' has shape " + java.util.Arrays.toString(e.getValue().shape()) + ", model has " + java.util.Arrays.toString(cur.shape()));
                params.put(name, e.getValue().cast(cur.dtype()));
            } else if (k.startsWith("opt/")) {
                int slash = k.indexOf('/', 4);
                opt.computeIfAbsent(k.substring(4, slash), x -> new Params()).put(k.substring(slash + 1), e.getValue());
            } else if (k.startsWith("ema/")) emaParams.put(k.substring(4), e.getValue());
        }
        for (Group g : groups.values()) g.optimizer().load(opt.getOrDefault(g.name(), new Params()));
        if (ema != null) ema.load(emaParams.names().isEmpty() ? null : emaParams);
    }
}
