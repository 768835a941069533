package sivi.targets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * The registry of built-in targets by CLI name, each with a one-line description. Data targets on
 * user files are not registered: {@code lr-csv} is {@link LogisticRegression#fromCsv} and
 * {@code bnn-csv} is {@link BnnRegression#fromCsv} (the CLI passes --data FILE --response COL).
 * <p>Each target's density as implemented: docs/targets.md.
 */
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
        register("lr-waveform", "Bayesian logistic regression, waveform split of the SIVI papers (400 train / 4600 test), d=22", () -> LogisticRegression.builtIn("lr-waveform"));
        register("lr-wdbc", "Bayesian logistic regression, breast cancer (wdbc), seeded 80/20 split, d=31", () -> LogisticRegression.builtIn("lr-wdbc"));
        register("lr-german", "Bayesian logistic regression, German credit (dummy-coded), seeded 80/20 split, d=62", () -> LogisticRegression.builtIn("lr-german"));
        register("lr-sonar", "Bayesian logistic regression, sonar, seeded 80/20 split, d=61", () -> LogisticRegression.builtIn("lr-sonar"));
        register("lr-ionosphere", "Bayesian logistic regression, ionosphere, seeded 80/20 split, d=35", () -> LogisticRegression.builtIn("lr-ionosphere"));
        register("lr-pima", "Bayesian logistic regression, Pima diabetes, seeded 80/20 split, d=9", () -> LogisticRegression.builtIn("lr-pima"));
        register("bnn-boston", "BNN regression (50 ReLU units), Boston housing, d=751, minibatch 100", () -> BnnRegression.builtIn("bnn-boston"));
        register("bnn-boston-sm", "BNN regression as bnn-boston, with the SIVI-SM script's prior/noise log-precisions (-0.98093/-2.55157)", () -> BnnRegression.builtIn("bnn-boston-sm"));
        register("bnn-concrete", "BNN regression (50 ReLU units), concrete strength, d=501, minibatch 100", () -> BnnRegression.builtIn("bnn-concrete"));
        register("lgcp-pines", "log-Gaussian Cox process, Finnish pines, 40x40 grid (d=1600), whitened field", () -> new LgcpPines(40));
        register("lgcp-pines-20", "log-Gaussian Cox process, Finnish pines, 20x20 grid (d=400), whitened field", () -> new LgcpPines(20));
    }

    /** Adds a target (built-in modules call this once). Replacing a name is an error. */
    public static synchronized void register(String name, String description, Supplier<Target> factory) {
        if (ENTRIES.containsKey(name)) throw new IllegalStateException("target '" + name + "' registered twice");
        ENTRIES.put(name, new Entry(name, description, factory));
    }

    public static synchronized Map<String, Entry> all() {
        loadProviders();
        return new LinkedHashMap<>(ENTRIES);
    }

    private static boolean providersLoaded;

    /** Adds the entries of every {@link TargetProvider} on the class path, once. */
    private static synchronized void loadProviders() {
        if (providersLoaded) return;
        providersLoaded = true;
        for (TargetProvider p : ServiceLoader.load(TargetProvider.class, Targets.class.getClassLoader()))
            for (Entry e : p.targets()) register(e.name(), e.description(), e.factory());
    }

    /** A new instance of the named target; the error lists the known names. */
    public static Target create(String name) {
        Entry e;
        synchronized (Targets.class) {
            e = ENTRIES.get(name);
            if (e == null) { loadProviders(); e = ENTRIES.get(name); }
        }
        if (e == null) throw new IllegalArgumentException("unknown target '" + name + "' (known: " + String.join(", ", all().keySet()) + ")");
        return e.factory().get();
    }

    public static Target banana() { return create("banana"); }
}
