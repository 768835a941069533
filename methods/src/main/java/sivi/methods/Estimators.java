package sivi.methods;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.families.SemiImplicit;
import sivi.families.SemiImplicitGaussian;
import sivi.families.SemiImplicitNetSigma;
import sivi.fit.Options;
import java.util.List;
import sivi.fit.OptionSpec;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.optim.LrSchedule;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/** Estimator plumbing the ELBO-family methods share: log p with a score backward, option parsing, families. */
final class Estimators {
    private Estimators() {}

    /**
     * log p(x_n) per row as one op: value from {@link Target#logDensity} (computed without a graph),
     * backward g ↦ g_n·s_p(x_n) through the target's score op (analytic where the target has one;
     * differentiable again through its HVP backward).
     */
    static Var logP(Target t, Var x) {
        Tensor v = GradMode.noGrad(() -> t.logDensity(constant(x.value())).value());
        int n = x.dim(0);
        return Var.derived("logp." + t.name(), v, new Var[] {x}, g -> new Var[] {mul(reshape(g, n, 1), t.score(x))});
    }

    /** log q(x) per row (float64) of a family with an exact density, at the given parameters, no graph. */
    static java.util.Optional<double[]> logQ(sivi.families.Family q, Params params, Tensor x) {
        Tensor xs = x.cast(params.get(params.names().get(0)).dtype());
        return java.util.Optional.of(GradMode.noGrad(() -> q.logDensity(params.bind(), constant(xs)).value().toDoubleArray()));
    }

    /** The gradients whose names start with the prefix. */
    static Map<String, Tensor> filter(Map<String, Tensor> g, String prefix) { return filter(g, java.util.List.of(prefix)); }

    /** The gradients whose names start with one of the prefixes. */
    static Map<String, Tensor> filter(Map<String, Tensor> g, java.util.List<String> prefixes) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        g.forEach((k, v) -> { for (String p : prefixes) if (k.startsWith(p)) { out.put(k, v); break; } });
        return out;
    }

    /** "40,60,40" → {40, 60, 40}; "" → {}. */
    static int[] ints(String key, String s) {
        if (s.isBlank()) return new int[0];
        String[] parts = s.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try { out[i] = Integer.parseInt(parts[i].trim()); } catch (NumberFormatException e) { throw new IllegalArgumentException("option " + key + "=" + s + " is not a comma-separated list of integers"); }
            if (out[i] < 1) throw new IllegalArgumentException("option " + key + "=" + s + ": sizes must be >= 1");
        }
        return out;
    }

    /** The decay options {@link #schedule} reads besides the learning rate itself. */
    static final List<OptionSpec> SCHEDULE = List.of(
            OptionSpec.choice("lr_schedule", "decay", "decay: lr_gamma/lr_period/lr_step below; robbins-monro: lr·(t + rm_tau)^−rm_kappa (Robbins & Monro 1951)",
                    "decay", "robbins-monro"),
            OptionSpec.real("lr_gamma", 1.0, "learning-rate decay factor (1 = constant)").onlyWhen("lr_schedule", "decay"),
            OptionSpec.real("lr_period", 0.0, "continuous decay lr·γ^(t/lr_period) when > 0, else StepLR").unit("iterations").min(0).onlyWhen("lr_schedule", "decay"),
            OptionSpec.integer("lr_step", 1000, "StepLR: lr·γ^⌊t/lr_step⌋").unit("iterations").min(1).onlyWhen("lr_schedule", "decay"),
            OptionSpec.real("rm_tau", 1.0, "Robbins–Monro delay τ > 0").positive().onlyWhen("lr_schedule", "robbins-monro"),
            OptionSpec.real("rm_kappa", 0.75, "Robbins–Monro exponent κ in (0.5, 1]").positive().onlyWhen("lr_schedule", "robbins-monro"));

    /** The option lists one after the other (a method's schema from shared parts). */
    @SafeVarargs
    static List<OptionSpec> concat(List<OptionSpec>... parts) {
        List<OptionSpec> out = new java.util.ArrayList<>();
        for (List<OptionSpec> p : parts) out.addAll(p);
        return out;
    }

    /** A learning rate option (positive). */
    static OptionSpec lr(String key, Double def, String doc) { return OptionSpec.real(key, def, doc).positive(); }

    /** The options {@link #semiImplicit} reads, for a method whose default family is {@code defaultFamily}. */
    static List<OptionSpec> familyOptions(String defaultFamily, String... families) {
        return List.of(
                OptionSpec.choice("family", defaultFamily, "semi-implicit family: simi (σ one learned vector) or net_sigma (σ from the network)", families),
                OptionSpec.integer("zdim", 3, "dimension of the mixing noise ε").min(1),
                OptionSpec.list("hidden", "50,50", "hidden widths of the conditional network"),
                ACTIVATION,
                OptionSpec.real("logvar_init", 0.0, "initial log σ² of the simi family").onlyWhen("family", "simi"),
                OptionSpec.real("logvar_min", -20.0, "lower clamp of log σ² (simi)").onlyWhen("family", "simi"),
                OptionSpec.real("log_sigma_init", 0.0, "initial log σ of the net_sigma family").onlyWhen("family", "net_sigma"),
                OptionSpec.real("log_sigma_min", -10.0, "lower clamp of log σ (net_sigma)").onlyWhen("family", "net_sigma"));
    }

    static final OptionSpec ACTIVATION = OptionSpec.choice("activation", "relu", "activation of the conditional network",
            "identity", "relu", "tanh", "silu", "softplus", "sigmoid");

    /**
     * Learning-rate schedule from options: {@code lr} (or the given key), then with {@code lr_schedule=decay} (the
     * default) either continuous decay lr·γ^(t/lr_period) when {@code lr_period} is set (SIVI 2018: γ = 0.75,
     * period 100) or StepLR lr·γ^⌊t/lr_step⌋ (γ defaults to 1: constant); with {@code lr_schedule=robbins-monro}
     * ρ_t = lr·(t + rm_tau)^−rm_kappa ({@link LrSchedule#robbinsMonro}).
     */
    static LrSchedule schedule(Options o, String lrKey, double lrDefault) {
        double lr = o.getDouble(lrKey, lrDefault);
        if (lr <= 0) throw new IllegalArgumentException("option " + lrKey + " must be positive, got " + lr);
        if (o.getString("lr_schedule", "decay").equals("robbins-monro"))
            return LrSchedule.robbinsMonro(lr, o.getDouble("rm_tau", 1.0), o.getDouble("rm_kappa", 0.75));
        double gamma = o.getDouble("lr_gamma", 1.0);
        double period = o.getDouble("lr_period", 0);
        int step = o.getInt("lr_step", 1000);
        return period > 0 ? LrSchedule.exponential(lr, gamma, period) : LrSchedule.step(lr, gamma, step);
    }

    /**
     * The semi-implicit family named by {@code family}: "simi" ({@link SemiImplicitGaussian}: σ one
     * learned vector, options logvar_init, logvar_min) or "net_sigma" ({@link SemiImplicitNetSigma}:
     * options log_sigma_init, log_sigma_min). Both read zdim, hidden ("50,50") and activation.
     * Parameters are registered under "q.".
     */
    static SemiImplicit semiImplicit(Options o, Params params, int d, Rng rng, DType dt, String defaultFamily) {
        String fam = o.getString("family", defaultFamily);
        int zdim = o.getInt("zdim", 3);
        int[] hidden = ints("hidden", o.getString("hidden", "50,50"));
        Activation act = Activation.parse(o.getString("activation", "relu"));
        return switch (fam) {
            case "simi" -> SemiImplicitGaussian.create(params, "q", d, zdim, hidden, act,
                    o.getDouble("logvar_init", 0), o.getDouble("logvar_min", -20), rng, dt);
            case "net_sigma" -> SemiImplicitNetSigma.create(params, "q", d, zdim, hidden, act,
                    o.getDouble("log_sigma_init", 0), o.getDouble("log_sigma_min", -10), rng, dt);
            default -> throw new IllegalArgumentException("unknown family '" + fam + "' (accepted: simi, net_sigma)");
        };
    }

    /**
     * A piecewise-constant schedule "it:value,it:value,…" (value from the largest it ≤ iteration;
     * before the first entry the first value). Empty: always {@code constant}.
     */
    record IntSchedule(TreeMap<Integer, Integer> points, int constant) {
        static IntSchedule parse(String key, String s, int constant) {
            TreeMap<Integer, Integer> m = new TreeMap<>();
            if (!s.isBlank())
                for (String part : s.split(",")) {
                    String[] kv = part.split(":");
                    try {
                        if (kv.length != 2) throw new NumberFormatException();
                        m.put(Integer.parseInt(kv[0].trim()), Integer.parseInt(kv[1].trim()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("option " + key + "=" + s + " is not of the form iteration:value,iteration:value");
                    }
                }
            for (int v : m.values()) if (v < 0) throw new IllegalArgumentException("option " + key + "=" + s + ": values must be >= 0");
            return new IntSchedule(m, constant);
        }

        int at(int iteration) {
            if (points.isEmpty()) return constant;
            var e = points.floorEntry(iteration);
            return e != null ? e.getValue() : points.firstEntry().getValue();
        }
    }
}
