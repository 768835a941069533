package sivi.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.autodiff.Autodiff;
import sivi.autodiff.Var;
import sivi.tensor.Tensor;

/**
 * Named parameter tensors in insertion order. Modules register their parameters here; an
 * optimiser replaces the tensors after each step (tensors themselves are never written).
 */
public final class Params {
    private final LinkedHashMap<String, Tensor> values = new LinkedHashMap<>();

    public Params() {}

    public Params(Map<String, Tensor> init) { values.putAll(init); }

    public void put(String name, Tensor value) { values.put(name, value); }

    /** Registers a new parameter; an existing name is an error (two modules with the same prefix). */
    public void add(String name, Tensor value) {
        if (values.containsKey(name)) throw new IllegalArgumentException("parameter '" + name + "' registered twice");
        values.put(name, value);
    }

    public Tensor get(String name) {
        Tensor t = values.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter '" + name + "' (have " + values.keySet() + ")");
        return t;
    }

    public boolean has(String name) { return values.containsKey(name); }

    public List<String> names() { return new ArrayList<>(values.keySet()); }

    public Map<String, Tensor> asMap() { return Collections.unmodifiableMap(values); }

    public int count() { return values.values().stream().mapToInt(Tensor::size).sum(); }

    /** A copy sharing the (immutable) tensors. */
    public Params copy() { return new Params(values); }

    /** Only the parameters whose names start with the prefix. */
    public Params select(String prefix) {
        Params p = new Params();
        values.forEach((k, v) -> { if (k.startsWith(prefix)) p.put(k, v); });
        return p;
    }

    /** Leaf variables for one forward pass; gradients are taken with {@link Bound#gradients}. */
    public Bound bind() { return new Bound(this, null); }

    /** Binds only the named subset as leaves; the rest are constants (frozen in this pass). */
    public Bound bind(java.util.function.Predicate<String> trainable) { return new Bound(this, trainable); }

    /** The parameters of one pass as variables. */
    public static final class Bound {
        private final LinkedHashMap<String, Var> vars = new LinkedHashMap<>();

        private Bound(Params p, java.util.function.Predicate<String> trainable) {
            p.values.forEach((k, v) -> vars.put(k, trainable == null || trainable.test(k) ? Var.leaf(v) : Var.constant(v)));
        }

        public Var get(String name) {
            Var v = vars.get(name);
            if (v == null) throw new IllegalArgumentException("no parameter '" + name + "' (have " + vars.keySet() + ")");
            return v;
        }

        /** ∂loss/∂θ for every trainable parameter (first order). */
        public Map<String, Tensor> gradients(Var loss) {
            List<String> names = new ArrayList<>();
            List<Var> leaves = new ArrayList<>();
            vars.forEach((k, v) -> { if (v.requiresGrad()) { names.add(k); leaves.add(v); } });
            Var[] g = Autodiff.grad(loss, leaves.toArray(new Var[0]), null, false);
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < g.length; i++) out.put(names.get(i), g[i].value());
            return out;
        }
    }
}
