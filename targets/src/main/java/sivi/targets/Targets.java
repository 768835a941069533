package sivi.targets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The registry of built-in targets by CLI name, each with a one-line description. */
public final class Targets {
    private Targets() {}

    /** A registry entry. */
    public record Entry(String name, String description, Supplier<Target> factory) {}

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        register("banana", "2-D banana of SIVI-SM/KSIVI: y=(x1, x1^2+x2+1) ~ N(0, [[1,.9],[.9,1]])", Banana::new);
        register("multimodal", "2-D mixture 1/2 N((2,0),I) + 1/2 N((-2,0),I)", Mixture2d::multimodal);
        register("x-shaped", "2-D mixture of N(0,[[2,1.8],[1.8,2]]) and N(0,[[2,-1.8],[-1.8,2]])", Mixture2d::xShaped);
        register("banana-sivi2018", "2-D banana of SIVI 2018: x1 ~ N(0,4), x2|x1 ~ N(x1^2/4, 1)", BananaSivi2018::new);
        register("student-t", "2-D product Student-t (nu=2) under a unit-determinant linear map (KSIVI)", StudentT2d::new);
        register("funnel", "Neal's funnel, d=10: v ~ N(0,9), x_i|v ~ N(0, e^v)", () -> new Funnel(10));
        register("laplace-compound", "50-d product of standard Laplace (Gaussian scale mixture), entropy 84.657 nats", () -> new LaplaceCompound(50));
        register("cond-diffusion", "conditioned diffusion path, D=100 with 20 observations (KSIVI)", () -> ConditionedDiffusion.shipped(100));
        register("cond-diffusion-50", "conditioned diffusion path, D=50 with 10 observations", () -> ConditionedDiffusion.shipped(50));
        register("cond-diffusion-200", "conditioned diffusion path, D=200 with 40 observations", () -> ConditionedDiffusion.shipped(200));
        register("gaussian", "correlated Gaussian (d=10, AR(1) rho=0.8) with exact moments", () -> Gaussian.correlated(10, 0.8));
    }

    /** Adds a target (built-in modules call this once). Replacing a name is an error. */
    public static synchronized void register(String name, String description, Supplier<Target> factory) {
        if (ENTRIES.containsKey(name)) throw new IllegalStateException("target '" + name + "' registered twice");
        ENTRIES.put(name, new Entry(name, description, factory));
    }

    public static synchronized Map<String, Entry> all() { return new LinkedHashMap<>(ENTRIES); }

    /** A new instance of the named target; the error lists the known names. */
    public static Target create(String name) {
        Entry e;
        synchronized (Targets.class) { e = ENTRIES.get(name); }
        if (e == null) throw new IllegalArgumentException("unknown target '" + name + "' (known: " + String.join(", ", all().keySet()) + ")");
        return e.factory().get();
    }

    public static Target banana() { return create("banana"); }
}
