package sivi.methods;

import java.util.ArrayList;
import java.util.List;
import sivi.autodiff.GradMode;
import sivi.families.Family;
import sivi.families.Flow;
import sivi.families.FullRankGaussian;
import sivi.families.MeanFieldGaussian;
import sivi.fit.DensitySession;
import sivi.fit.OptionSpec;
import sivi.fit.Options;
import sivi.fit.TrainState;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** The families with an exact log-density that renyi, iwae and flow train (parameters under "q."): options and construction. */
final class DensityFamilies {
    private DensityFamilies() {}

    /** The flow options; with {@code conditional} they apply only with family=flow. */
    static List<OptionSpec> flowOptions(boolean conditional) {
        List<OptionSpec> o = List.of(
                OptionSpec.choice("flow", "realnvp", "flow layer: planar (Rezende & Mohamed 2015), realnvp (affine coupling, Dinh et al. 2017), iaf (MADE, Kingma et al. 2016)",
                        "planar", "realnvp", "iaf"),
                OptionSpec.integer("layers", 4, "number of flow layers (after the base affine map)").min(0),
                OptionSpec.list("hidden", "32,32", "hidden widths of the coupling / MADE networks (empty: linear)"));
        if (!conditional) return o;
        List<OptionSpec> c = new ArrayList<>();
        for (OptionSpec s : o) c.add(s.onlyWhen("family", "flow"));
        return c;
    }

    /** family (mean_field, full_rank, flow; semi_implicit is built by {@link Renyi}), log_sigma_init and the flow options. */
    static List<OptionSpec> options() {
        List<OptionSpec> o = new ArrayList<>(List.of(
                OptionSpec.choice("family", "full_rank", "q: mean_field or full_rank Gaussian, a normalising flow, or semi_implicit (log q through IWHVI's upper bound)",
                        "mean_field", "full_rank", "flow", "semi_implicit"),
                OptionSpec.real("log_sigma_init", 0.0, "initial log σ of the Gaussian (of the flow's base affine map)")));
        o.addAll(flowOptions(true));
        return o;
    }

    static Family create(Options o, Params params, int d, Rng rng, DType dt) {
        return create(o.getString("family", "full_rank"), o, params, d, rng, dt);
    }

    static Family create(String family, Options o, Params params, int d, Rng rng, DType dt) {
        double ls0 = o.getDouble("log_sigma_init", 0);
        return switch (family) {
            case "mean_field" -> MeanFieldGaussian.create(params, "q", d, ls0, dt);
            case "full_rank" -> FullRankGaussian.create(params, "q", d, ls0, dt);
            case "flow" -> Flow.create(params, "q", d, Flow.Kind.valueOf(o.getString("flow", "realnvp").toUpperCase(java.util.Locale.ROOT)),
                    o.getInt("layers", 4), Estimators.ints("hidden", o.getString("hidden", "32,32")), ls0, rng, dt);
            default -> throw new IllegalArgumentException("unknown family '" + family + "' (accepted: mean_field, full_rank, flow)");
        };
    }

    /**
     * log q(x) per row (float64) at the evaluation parameters, for {@link sivi.fit.Session#logDensity} (PSIS-k̂ of
     * the written draws): a flow through its inverse (planar by bisection), a Gaussian in closed form.
     */
    static java.util.Optional<double[]> logDensity(Family q, TrainState state, Tensor x) {
        Params p = state.evaluationParams();
        if (q instanceof Flow f) return java.util.Optional.of(f.logDensityValue(p, x.cast(p.get(p.names().get(0)).dtype())).cast(DType.F64).toDoubleArray());
        return Estimators.logQ(q, p, x);
    }

    /** n draws of q and log q of each, at the evaluation parameters, no graph. */
    static DensitySession.Draws draws(Family q, TrainState state, Rng rng, int n) {
        return GradMode.noGrad(() -> {
            var s = q.sampleWithLogDensity(state.evaluationParams().bind(), rng, n);
            return new DensitySession.Draws(s.x().value(), s.logQ().value());
        });
    }
}
