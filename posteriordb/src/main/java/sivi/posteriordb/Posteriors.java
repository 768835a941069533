package sivi.posteriordb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import sivi.targets.Target;
import sivi.targets.TargetProvider;
import sivi.targets.Targets;

import static sivi.posteriordb.Regression.*;

/**
 * The posteriordb posteriors as targets {@code pdb-<posterior>} (posteriordb's posterior name,
 * e.g. pdb-eight_schools-eight_schools_noncentered), each a hand port of its model.stan on the
 * bundled data. Found by {@link Targets} through {@link TargetProvider} (META-INF/services).
 */
public final class Posteriors implements TargetProvider {
    private record Port(String description, Function<String, Target> factory) {}

    private static final Map<String, Port> PORTS = new LinkedHashMap<>();

    private static void port(String posterior, String description, Function<String, Target> factory) {
        PORTS.put(posterior, new Port(description, factory));
    }

    static {
        port("arK-arK", "AR(5) time series, T=200, normal/cauchy priors", TimeSeries.ArK::new);
        port("arma-arma11", "ARMA(1,1) time series, T=200", TimeSeries.Arma11::new);
        port("bball_drive_event_0-hmm_drive_0", "2-state HMM, exponential emissions, forward algorithm over 416 steps", p -> new Hmm(p, Hmm.Kind.DRIVE_EXPONENTIAL));
        port("bball_drive_event_1-hmm_drive_1", "2-state HMM, normal emissions, forward algorithm over 416 steps", p -> new Hmm(p, Hmm.Kind.DRIVE_NORMAL));
        port("hmm_example-hmm_example", "2-state HMM, normal emissions (sd 1), forward algorithm over 100 steps", p -> new Hmm(p, Hmm.Kind.EXAMPLE));
        port("diamonds-diamonds", "brms linear regression, 5000 diamonds x 24 centred predictors, student-t priors", Regression.Diamonds::new);
        port("eight_schools-eight_schools_noncentered", "eight schools, non-centred hierarchical normal", Hierarchical.EightSchools::new);
        port("garch-garch11", "GARCH(1,1) volatility, T=200", TimeSeries.Garch11::new);
        port("gp_pois_regr-gp_pois_regr", "latent GP Poisson regression (non-centred, Cholesky), N=11", GpPoisRegr::new);
        port("gp_pois_regr-gp_regr", "GP regression (squared-exponential kernel, Cholesky), N=11", GpRegr::new);
        port("hudson_lynx_hare-lotka_volterra", "Lotka-Volterra ODE (RK4) on the lynx-hare data, lognormal errors", Ode.LotkaVolterra::new);
        port("low_dim_gauss_mix-low_dim_gauss_mix", "two-component normal mixture, N=1000, ordered means", Hierarchical.GaussMix::new);
        port("one_comp_mm_elim_abs-one_comp_mm_elim_abs", "pharmacokinetic ODE (RK4), Michaelis-Menten elimination", Ode.OneComp::new);
        port("sblrc-blr", "Bayesian linear regression, N=100, D=5, normal(0,10) priors", p -> blr(p));
        port("sblri-blr", "Bayesian linear regression, N=100, D=5, normal(0,10) priors", p -> blr(p));
        port("earnings-earn_height", "linear regression earn ~ height", p -> earnings(p, "earn_height"));
        port("earnings-log10earn_height", "linear regression log10(earn) ~ height", p -> earnings(p, "log10earn_height"));
        port("earnings-logearn_height", "linear regression log(earn) ~ height", p -> earnings(p, "logearn_height"));
        port("earnings-logearn_height_male", "linear regression log(earn) ~ height + male", p -> earnings(p, "logearn_height_male"));
        port("earnings-logearn_interaction", "linear regression log(earn) ~ height * male", p -> earnings(p, "logearn_interaction"));
        port("earnings-logearn_interaction_z", "linear regression log(earn) ~ z(height) * male", p -> earnings(p, "logearn_interaction_z"));
        port("earnings-logearn_logheight_male", "linear regression log(earn) ~ log(height) + male", p -> earnings(p, "logearn_logheight_male"));
        port("kidiq-kidscore_interaction", "linear regression kid_score ~ mom_hs * mom_iq, cauchy prior on sigma", p -> kidiq(p, "kidscore_interaction"));
        port("kidiq-kidscore_momhs", "linear regression kid_score ~ mom_hs, cauchy prior on sigma", p -> kidiq(p, "kidscore_momhs"));
        port("kidiq-kidscore_momhsiq", "linear regression kid_score ~ mom_hs + mom_iq, cauchy prior on sigma", p -> kidiq(p, "kidscore_momhsiq"));
        port("kidiq-kidscore_momiq", "linear regression kid_score ~ mom_iq, cauchy prior on sigma", p -> kidiq(p, "kidscore_momiq"));
        port("kidiq_with_mom_work-kidscore_interaction_c", "linear regression kid_score ~ centred mom_hs * mom_iq", p -> kidiq(p, "kidscore_interaction_c"));
        port("kidiq_with_mom_work-kidscore_interaction_c2", "linear regression kid_score ~ (mom_hs - 0.5) * (mom_iq - 100)", p -> kidiq(p, "kidscore_interaction_c2"));
        port("kidiq_with_mom_work-kidscore_interaction_z", "linear regression kid_score ~ z(mom_hs) * z(mom_iq)", p -> kidiq(p, "kidscore_interaction_z"));
        port("kidiq_with_mom_work-kidscore_mom_work", "linear regression kid_score ~ mom_work (3 indicators)", p -> kidiq(p, "kidscore_mom_work"));
        port("kilpisjarvi_mod-kilpisjarvi", "linear trend of summer temperature on the year, informative priors", Posteriors::kilpisjarvi);
        port("mesquite-logmesquite", "linear regression log(weight) ~ 6 log sizes + group", p -> mesquite(p, "logmesquite"));
        port("mesquite-logmesquite_logva", "linear regression log(weight) ~ log volume + log area + group", p -> mesquite(p, "logmesquite_logva"));
        port("mesquite-logmesquite_logvas", "linear regression log(weight) ~ log volume, area, shape, height, density + group", p -> mesquite(p, "logmesquite_logvas"));
        port("mesquite-logmesquite_logvash", "linear regression log(weight) ~ log volume, area, shape, height + group", p -> mesquite(p, "logmesquite_logvash"));
        port("mesquite-logmesquite_logvolume", "linear regression log(weight) ~ log canopy volume", p -> mesquite(p, "logmesquite_logvolume"));
        port("mesquite-mesquite", "linear regression weight ~ 6 sizes + group", p -> mesquite(p, "mesquite"));
        for (String year : new String[] {"1972", "1976", "1980", "1984", "1988", "1992", "1996", "2000"})
            port("nes" + year + "-nes", "linear regression of party id on 8 predictors, NES " + year, Posteriors::nes);
    }

    /** The bundled posteriors that have a port, in listing order. */
    public static List<String> names() { return List.copyOf(PORTS.keySet()); }

    /** The port of a bundled posterior; the error names the posterior and lists the known ones. */
    public static Target create(String posterior) {
        Port p = PORTS.get(posterior);
        if (p == null) throw new IllegalArgumentException("posteriordb: no posterior '" + posterior + "' (known: " + String.join(", ", PORTS.keySet()) + ")");
        return p.factory.apply(posterior);
    }

    @Override public List<Targets.Entry> targets() {
        List<Targets.Entry> e = new ArrayList<>();
        for (Map.Entry<String, Port> p : PORTS.entrySet())
            e.add(new Targets.Entry("pdb-" + p.getKey(), "posteriordb: " + p.getValue().description, () -> p.getValue().factory.apply(p.getKey())));
        return e;
    }

    // ---------------------------------------------------------------- the regressions' transformed data

    private static Target blr(String posterior) {
        StanData d = StanData.load(posterior);
        int n = d.integer("N", 0), k = d.integer("D", 0);
        double[][] x = d.matrix("X", n, k);
        double[] flat = new double[n * k];
        for (int i = 0; i < n; i++) System.arraycopy(x[i], 0, flat, i * k, k);
        return new Regression(posterior, new Design(d.vector("y", n), flat, k), 10, SigmaPrior.NORMAL_10);
    }

    private static Target earnings(String posterior, String model) {
        StanData d = StanData.load(posterior);
        int n = d.integer("N", 0);
        double[] earn = d.vector("earn", n), height = d.vector("height", n);
        double[] male = model.contains("male") || model.contains("interaction") ? d.vector("male", n) : null;
        Design x = switch (model) {
            case "earn_height" -> Design.withIntercept(earn, height);
            case "log10earn_height" -> Design.withIntercept(map(earn, Math::log10), height);
            case "logearn_height" -> Design.withIntercept(log(earn), height);
            case "logearn_height_male" -> Design.withIntercept(log(earn), height, male);
            case "logearn_interaction" -> Design.withIntercept(log(earn), height, male, times(height, male));
            case "logearn_interaction_z" -> {
                double[] z = shift(height, mean(height), sd(height));
                yield Design.withIntercept(log(earn), z, male, times(z, male));
            }
            case "logearn_logheight_male" -> Design.withIntercept(log(earn), log(height), male);
            default -> throw new IllegalArgumentException(model);
        };
        return new Regression(posterior, x, Double.NaN, SigmaPrior.FLAT);
    }

    private static Target kidiq(String posterior, String model) {
        StanData d = StanData.load(posterior);
        int n = d.integer("N", 0);
        double[] y = d.vector("kid_score", n);
        Design x;
        SigmaPrior sp = posterior.startsWith("kidiq-") ? SigmaPrior.CAUCHY_2_5 : SigmaPrior.FLAT;
        if (model.equals("kidscore_mom_work")) {
            double[] w = d.vector("mom_work", n);
            x = Design.withIntercept(y, is(w, 2), is(w, 3), is(w, 4));
        } else {
            double[] hs = d.vector("mom_hs", n), iq = d.vector("mom_iq", n);
            x = switch (model) {
                case "kidscore_momhs" -> Design.withIntercept(y, hs);
                case "kidscore_momiq" -> Design.withIntercept(y, iq);
                case "kidscore_momhsiq" -> Design.withIntercept(y, hs, iq);
                case "kidscore_interaction" -> Design.withIntercept(y, hs, iq, times(hs, iq));
                case "kidscore_interaction_c" -> {
                    double[] a = shift(hs, mean(hs), 1), b = shift(iq, mean(iq), 1);
                    yield Design.withIntercept(y, a, b, times(a, b));
                }
                case "kidscore_interaction_c2" -> {
                    double[] a = shift(hs, 0.5, 1), b = shift(iq, 100, 1);
                    yield Design.withIntercept(y, a, b, times(a, b));
                }
                case "kidscore_interaction_z" -> {
                    double[] a = shift(hs, mean(hs), 2 * sd(hs)), b = shift(iq, mean(iq), 2 * sd(iq));
                    yield Design.withIntercept(y, a, b, times(a, b));
                }
                default -> throw new IllegalArgumentException(model);
            };
        }
        return new Regression(posterior, x, Double.NaN, sp);
    }

    private static Target mesquite(String posterior, String model) {
        StanData d = StanData.load(posterior);
        int n = d.integer("N", 0);
        double[] w = d.vector("weight", n), d1 = d.vector("diam1", n), d2 = d.vector("diam2", n), ch = d.vector("canopy_height", n),
                th = d.vector("total_height", n), den = d.vector("density", n), g = d.vector("group", n);
        double[] vol = log(times(times(d1, d2), ch)), area = log(times(d1, d2)), shape = new double[n], lw = log(w);
        for (int i = 0; i < n; i++) shape[i] = Math.log(d1[i] / d2[i]);
        Design x = switch (model) {
            case "mesquite" -> Design.withIntercept(w, d1, d2, ch, th, den, g);
            case "logmesquite" -> Design.withIntercept(lw, log(d1), log(d2), log(ch), log(th), log(den), g);
            case "logmesquite_logva" -> Design.withIntercept(lw, vol, area, g);
            case "logmesquite_logvas" -> Design.withIntercept(lw, vol, area, shape, log(th), log(den), g);
            case "logmesquite_logvash" -> Design.withIntercept(lw, vol, area, shape, log(th), g);
            case "logmesquite_logvolume" -> Design.withIntercept(lw, vol);
            default -> throw new IllegalArgumentException(model);
        };
        return new Regression(posterior, x, Double.NaN, SigmaPrior.FLAT);
    }

    private static Target nes(String posterior) {
        StanData d = StanData.load(posterior);
        int n = d.integer("N", 0);
        double[] age = d.vector("age_discrete", n);
        Design x = Design.withIntercept(d.vector("partyid7", n), d.vector("real_ideo", n), d.vector("race_adj", n),
                is(age, 2), is(age, 3), is(age, 4), d.vector("educ1", n), d.vector("gender", n), d.vector("income", n));
        return new Regression(posterior, x, Double.NaN, SigmaPrior.FLAT);
    }

    private static Target kilpisjarvi(String posterior) {
        StanData d = StanData.load(posterior);
        int n = d.integer("N", 0);
        double psa = d.real("psalpha"), psb = d.real("psbeta");
        if (!(psa > 0 && psb > 0)) throw new IllegalArgumentException("posteriordb " + posterior + ": prior sds psalpha, psbeta must be > 0, got " + psa + ", " + psb);
        return new Regression(posterior, Design.withIntercept(d.vector("y", n), d.vector("x", n)), List.of("alpha", "beta"),
                new double[] {d.real("pmualpha"), d.real("pmubeta")}, new double[] {psa, psb}, SigmaPrior.FLAT);
    }
}
