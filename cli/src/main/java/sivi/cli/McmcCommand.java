package sivi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sivi.fit.PathfinderInits;
import sivi.kernels.Rng;
import sivi.mcmc.Diagnostics;
import sivi.mcmc.Hmc;
import sivi.mcmc.Keep;
import sivi.mcmc.McmcResult;
import sivi.mcmc.Nuts;
import sivi.mcmc.Sampler;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/**
 * {@code sivi mcmc}: reference draws by NUTS or static HMC ({@code sivi.mcmc}, Stan's warm-up) for a
 * target, written as samples.csv (header = parameter names, then {@code chain__}, the 1-based chain
 * id; readers of the fit contract drop {@code *__} columns) and summary.json (R̂, bulk ESS, step
 * sizes, divergences, tree depths, wall time, metrics).
 *
 * <p>Chain c (0-based) runs on its own generator {@code Rng.of(seed, c + 1)}, which also draws its
 * initial point uniformly in [-2, 2]^d (Stan's default), so the draws do not depend on --threads.
 */
@Command(name = "mcmc", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sample a target with NUTS or HMC (Stan-style warm-up) and write samples.csv, summary.json and trace.png.",
                "samples.csv: one column per parameter, then chain__ (1-based chain id)."})
final class McmcCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--target", paramLabel = "NAME", required = true, description = "Target (see 'sivi targets').")
    String target;
    @Option(names = "--data", paramLabel = "FILE.csv", description = "Data file for a data-driven target (see 'sivi targets').")
    Path data;
    @Option(names = "--response", paramLabel = "COL", description = "Response column of --data.")
    String response;
    @Option(names = "--method", paramLabel = "nuts|hmc", defaultValue = "nuts", description = "Sampler. Default: ${DEFAULT-VALUE}.")
    String method;
    @Option(names = "--draws", paramLabel = "N", defaultValue = "1000", description = "Kept draws per chain. Default: ${DEFAULT-VALUE}.")
    int draws;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1000", description = "Warm-up iterations per chain (discarded). Default: ${DEFAULT-VALUE}.")
    int warmup;
    @Option(names = "--chains", paramLabel = "C", defaultValue = "4", description = "Number of chains. Default: ${DEFAULT-VALUE}.")
    int chains;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--threads", paramLabel = "T", defaultValue = "1", description = "Chains run in parallel (results do not depend on it). Default: ${DEFAULT-VALUE}.")
    int threads;
    @Option(names = "--target-accept", paramLabel = "A", description = "Step-size adaptation's target acceptance in (0, 1). Default: 0.8 (NUTS, as Stan), the HMC default for hmc; raise it (e.g. 0.95) when a run reports divergences.")
    Double targetAccept;
    @Option(names = "--format", paramLabel = "csv|cmdstan|npy", defaultValue = "csv",
            description = "Also write the draws as one CmdStan CSV per chain (chain-C.cmdstan.csv, with lp__, accept_stat__, stepsize__, treedepth__, n_leapfrog__, divergent__, energy__: az.from_cmdstan reads them as C chains) or as samples.npy (chains stacked). Default: ${DEFAULT-VALUE} (samples.csv only).")
    String format;
    @Option(names = "--thin", paramLabel = "N", defaultValue = "1",
            description = "Keep every N-th iteration (as CmdStan: ceil(draws/N) draws per chain; with --save-warmup also of the warm-up). Default: ${DEFAULT-VALUE}.")
    int thin;
    @Option(names = "--save-warmup", description = "Also write the warm-up iterations: first in each chain-C.cmdstan.csv (save_warmup = 1, as CmdStan), and as warmup.csv (same columns as samples.csv). Diagnostics and metrics never include them.")
    boolean saveWarmup;
    @Option(names = "--init", paramLabel = "FILE.json|pathfinder",
            description = "Initial point of every chain: a JSON object of constrained values by name, as CmdStan's init file ({\"mu\": 0.1, \"theta\": [0.2, 0.3]}, or output names such as x1, theta[2]); or 'pathfinder': one point per chain from multi-path Pathfinder's importance-resampled draws (for posteriors where a random start can strand a chain at a minor mode). Default: uniform in [-2, 2] on the unconstrained space, redrawn (up to 100 times) where the log density or gradient is not finite.")
    String init;
    @Option(names = "--init-paths", paramLabel = "P", description = "Pathfinder paths for --init pathfinder. Default: 4 (CmdStan's).")
    Integer initPathsOption;
    int initPaths;
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory.")
    Path out;
    @Option(names = "--no-plot", description = "Skip trace.png (traces and rank plots of the first parameters).")
    boolean noPlot;
    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;
    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    @Override public Integer call() throws IOException {
        Target t = DataBinding.target(spec, target, data, response);
        String m = method.toLowerCase(java.util.Locale.ROOT);
        if (!m.equals("nuts") && !m.equals("hmc")) Cli.oneOf(spec, "--method", method, List.of("nuts", "hmc"));
        Cli.positive(spec, "--draws", draws);
        SampleFormat fmt = SampleFormat.parse(spec, "--format", format);
        Cli.nonNegative(spec, "--warmup", warmup);
        Cli.positive(spec, "--chains", chains);
        Cli.threads(spec, threads);
        if (targetAccept != null && !(targetAccept > 0 && targetAccept < 1))
            throw Main.usage(spec, "--target-accept must be in (0, 1), got " + targetAccept);
        Cli.positive(spec, "--thin", thin);
        boolean byPathfinder = "pathfinder".equals(init);
        if (init != null && !byPathfinder && !Files.isRegularFile(Path.of(init))) throw Main.usage(spec, "--init: no such file: " + init + " (a FILE.json or 'pathfinder')");
        if (initPathsOption != null && !byPathfinder) throw Main.usage(spec, "--init-paths applies only with --init pathfinder");
        initPaths = initPathsOption == null ? 4 : initPathsOption;
        if (initPaths < 2) throw Main.usage(spec, "--init-paths must be >= 2, got " + initPaths);
        if (Files.exists(out.resolve("summary.json")))
            throw Main.usage(spec, "output directory " + out + " already holds a run; choose another --out");

        PrintWriter err = spec.commandLine().getErr();
        double[][] starts = null;
        if (byPathfinder) {
            if (!quiet) err.println("sivi: initial points from Pathfinder (" + initPaths + " paths)");
            try {
                PathfinderInits.Result pf = PathfinderInits.draw(t, chains, initPaths, seed);
                starts = pf.inits();
                pathfinderKhat = pf.khat();
            } catch (RuntimeException e) {
                throw new Main.UserFailure("--init pathfinder on " + target + " failed: " + Main.oneLine(String.valueOf(e.getMessage())), e);
            }
        } else if (init != null) {
            double[] start = InitValues.read(Path.of(init), t);
            starts = new double[chains][];
            java.util.Arrays.fill(starts, start);
        }
        if (!quiet) err.println("sivi: " + m.toUpperCase(java.util.Locale.ROOT) + " on " + t.name() + " (d=" + t.dim() + "): " + chains + " chain(s) × ("
                + warmup + " warm-up + " + draws + " draws), " + Math.min(threads, chains) + " thread(s)");
        long t0 = System.nanoTime();
        McmcResult r = sample(sivi.targets.McmcAdapter.of(t), m, starts, err);
        double wall = (System.nanoTime() - t0) / 1e9;

        Files.createDirectories(out);
        RunFiles.write(out.resolve("samples.csv"), csv(t, r.draws()));
        if (r.warmup() != null) RunFiles.write(out.resolve("warmup.csv"), csv(t, r.warmup().draws()));
        if (fmt == SampleFormat.CMDSTAN)
            for (int c = 0; c < r.chains(); c++) RunFiles.write(out.resolve("chain-" + (c + 1) + ".cmdstan.csv"), cmdstan(t, m, r, c, wall));
        if (fmt == SampleFormat.NPY) Files.write(out.resolve("samples.npy"), SampleIO.encode(SampleFormat.NPY, t.names(), Tensor.matrix(r.pooled()), t, Map.of()));
        Tensor pooled = Tensor.matrix(r.pooled());
        Optional<Tensor> reference = Cli.referenceDraws(t, Cli.REFERENCE_SEED);
        Map<String, Object> metrics = MetricsReport.standard().compute(t, pooled, reference);
        Map<String, Object> summary = summary(t, m, r, wall, metrics);
        RunFiles.writeJson(out.resolve("summary.json"), summary);
        if (!noPlot) McmcPlots.write(out.resolve("trace.png"), t.outputNames(), constrained(t, r), r.divergent(),
                t.name() + " · " + m + " · " + r.chains() + " chain(s) × " + draws + " draws");
        if (!quiet) err.println(String.format(java.util.Locale.ROOT, "sivi: wrote %s (%.1f s, max R-hat %.3f, min bulk ESS %.0f, %d divergences)",
                out, wall, (double) summary.get("rhat_max"), (double) summary.get("ess_bulk_min"), r.divergences()));
        for (int c = 0; c < r.chains(); c++)
            if (Diagnostics.ebfmi(r.energy()[c]) < 0.3)   // Stan's threshold; printed even with --quiet
                err.println(String.format(java.util.Locale.ROOT, "sivi: warning: chain %d has E-BFMI %.2f < 0.3: the sampler may not explore the tails (reparameterise the model)",
                        c + 1, Diagnostics.ebfmi(r.energy()[c])));
        double rhat = (double) summary.get("rhat_max");
        if (r.chains() > 1 && !(rhat <= RHAT_WARNING))   // printed even with --quiet, NaN included: the chains disagree
            err.println(String.format(java.util.Locale.ROOT, "sivi: warning: max R-hat %.3g > %.2f: the chains disagree — one may be stranded at a minor mode or in a region of "
                    + "negligible mass (see trace.png); rerun with --init pathfinder, or longer warm-up", rhat, RHAT_WARNING));
        if (r.divergences() > 0)   // printed even with --quiet: the draws may be biased
            err.println(String.format(java.util.Locale.ROOT, "sivi: warning: %d divergent transitions after warm-up — the draws may miss part of the posterior; rerun with a higher --target-accept (now %.3g)",
                    r.divergences(), accept(m)));
        spec.commandLine().getOut().println(out);
        return Main.OK;
    }

    /** --target-accept, or the sampler's default. */
    private double accept(String m) {
        return targetAccept != null ? targetAccept : m.equals("nuts") ? Nuts.defaults().targetAccept() : Hmc.defaults().targetAccept();
    }

    /** Max R-hat above which the run warns (Vehtari et al. 2021 recommend 1.01 for a final analysis; 1.05 flags chains that plainly disagree). */
    static final double RHAT_WARNING = 1.05;

    /** The resampling's Pareto k̂ when --init pathfinder ran (summary.json), else NaN. */
    private double pathfinderKhat = Double.NaN;

    /** One single-chain run per chain (in a pool of --threads), from starts[c] where given, with a progress line as each finishes. */
    private McmcResult sample(sivi.mcmc.LogDensityGradient density, String m, double[][] starts, PrintWriter err) {
        Keep keep = new Keep(thin, saveWarmup);
        List<McmcResult> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, chains))) {
            List<Future<McmcResult>> fs = new ArrayList<>();
            for (int c = 0; c < chains; c++) {
                Rng rng = Rng.of(seed, c + 1L);
                Sampler sampler = m.equals("nuts") ? Nuts.defaults().withWarmup(warmup).withDraws(draws).withChains(1).withTargetAccept(accept(m))
                        : new Hmc(warmup, draws, 1, 1, Hmc.defaults().integrationTime(), accept(m));
                double[] start = starts == null ? null : starts[c];
                fs.add(pool.submit(() -> start == null ? sampler.sample(density, rng, keep) : sampler.sample(density, new double[][] {start}, rng, keep)));
            }
            for (int c = 0; c < chains; c++) {
                McmcResult one = fs.get(c).get();
                done.add(one);
                if (!quiet) {
                    err.println(String.format(java.util.Locale.ROOT, "sivi: chain %d/%d done (%.1f s): step size %.3g, %d divergences, mean tree depth %.1f",
                            c + 1, chains, one.wallNanos() / 1e9, one.stepSize()[0], one.divergences(), mean(one.treeDepth()[0])));
                    err.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Main.UserFailure("interrupted while sampling", e);
        } catch (ExecutionException e) {
            // e.g. a log density that is not finite at the initial point, or a step size that collapses
            String why = Main.oneLine(String.valueOf(e.getCause().getMessage()));
            if (init != null && why.startsWith("log density or its gradient is not finite at the initial point")) why += " given by --init " + init;
            else if (why.startsWith("no initial point")) why += " (--init FILE.json, or --init pathfinder)";
            throw new Main.UserFailure("sampling " + target + " failed: " + why, e.getCause());
        }
        return combine(done);
    }

    /** The single-chain results as one run (wall time: the longest chain). */
    static McmcResult combine(List<McmcResult> rs) {
        int c = rs.size();
        double[][][] x = new double[c][][];
        double[] eps = new double[c];
        double[][] inv = new double[c][], acc = new double[c][], lp = new double[c][], energy = new double[c][];
        boolean[][] div = new boolean[c][];
        int[][] depth = new int[c][], leap = new int[c][];
        int[] wdiv = new int[c];
        long wall = 0;
        McmcResult.Warmup w = rs.getFirst().warmup() == null ? null : new McmcResult.Warmup(new double[c][][], new double[c][], new boolean[c][],
                new int[c][], new int[c][], new double[c][], new double[c][], new double[c][]);
        for (int k = 0; k < c; k++) {
            McmcResult r = rs.get(k);
            x[k] = r.draws()[0]; eps[k] = r.stepSize()[0]; inv[k] = r.invMetric()[0]; acc[k] = r.acceptStat()[0];
            div[k] = r.divergent()[0]; depth[k] = r.treeDepth()[0]; leap[k] = r.leapfrogs()[0]; wdiv[k] = r.warmupDivergences()[0];
            lp[k] = r.logDensity()[0]; energy[k] = r.energy()[0];
            wall = Math.max(wall, r.wallNanos());
            if (w != null) {
                McmcResult.Warmup o = r.warmup();
                w.draws()[k] = o.draws()[0]; w.stepSize()[k] = o.stepSize()[0]; w.divergent()[k] = o.divergent()[0]; w.treeDepth()[k] = o.treeDepth()[0];
                w.leapfrogs()[k] = o.leapfrogs()[0]; w.acceptStat()[k] = o.acceptStat()[0]; w.logDensity()[k] = o.logDensity()[0]; w.energy()[k] = o.energy()[0];
            }
        }
        return new McmcResult(x, eps, inv, div, depth, leap, acc, lp, energy, wdiv, wall, w);
    }

    /** Each chain's draws as the target writes them (constrained), [chain][draw][output]. */
    private static double[][][] constrained(Target t, McmcResult r) {
        double[][][] y = new double[r.chains()][][];
        for (int c = 0; c < r.chains(); c++) y[c] = t.constrain(Tensor.matrix(r.draws()[c])).cast(sivi.tensor.DType.F64).toMatrix();
        return y;
    }

    /** The draws [c][n][i] as the target writes them ({@link Target#outputNames}: constrained values for a Stan model), then chain__. */
    private static String csv(Target t, double[][][] draws) {
        StringBuilder b = new StringBuilder();
        for (String n : t.outputNames()) b.append(SampleIO.quote(n)).append(',');
        b.append("chain__\n");
        for (int c = 0; c < draws.length; c++) {
            if (draws[c].length == 0) continue;
            Tensor y = t.constrain(Tensor.matrix(draws[c]));
            int w = y.dim(1);
            double[] v = y.toDoubleArray();
            for (int i = 0; i < y.dim(0); i++) {
                for (int j = 0; j < w; j++) b.append(v[i * w + j]).append(',');
                b.append(c + 1).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * Chain c as CmdStan writes it: the run's settings as comments, Stan's sampler columns (lp__ is the
     * log density of the unconstrained draw, Jacobian included, as in Stan), the target's outputs under
     * Stan's column names, the adaptation (step size, diagonal inverse metric) and the wall time.
     */
    private String cmdstan(Target t, String m, McmcResult r, int c, double wall) {
        StringBuilder b = new StringBuilder();
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("model", t.name());
        conf.put("method", "sample");
        conf.put("num_samples", Integer.toString(draws));
        conf.put("num_warmup", Integer.toString(warmup));
        conf.put("save_warmup", saveWarmup ? "1" : "0");
        conf.put("thin", Integer.toString(thin));
        conf.put("algorithm", "hmc");
        conf.put("engine", m.equals("nuts") ? "nuts" : "static");
        if (m.equals("nuts")) conf.put("max_depth", Integer.toString(Nuts.defaults().maxTreeDepth()));
        conf.put("delta", Double.toString(accept(m)));
        conf.put("seed", Long.toString(seed));
        conf.put("id", Integer.toString(c + 1));
        conf.put("sivi_version", new Main.Version().getVersion()[0]);
        conf.forEach((k, v) -> b.append("# ").append(k).append(" = ").append(v).append('\n'));
        List<String> header = new ArrayList<>(List.of("lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"));
        header.addAll(SampleIO.stanNames(t.outputNames()).stream().map(SampleIO::quote).toList());
        b.append(String.join(",", header)).append('\n');
        // as CmdStan: the kept warm-up iterations come first, then the adaptation, then the draws
        McmcResult.Warmup wu = r.warmup();
        if (wu != null) rows(b, t, wu.draws()[c], wu.logDensity()[c], wu.acceptStat()[c], wu.stepSize()[c], wu.treeDepth()[c], wu.leapfrogs()[c], wu.divergent()[c], wu.energy()[c]);
        b.append("# Adaptation terminated\n# Step size = ").append(r.stepSize()[c]).append('\n');
        b.append("# Diagonal elements of inverse mass matrix:\n# ");
        b.append(String.join(", ", java.util.Arrays.stream(r.invMetric()[c]).mapToObj(Double::toString).toList())).append('\n');
        double[] eps = new double[r.drawsPerChain()];
        java.util.Arrays.fill(eps, r.stepSize()[c]);
        rows(b, t, r.draws()[c], r.logDensity()[c], r.acceptStat()[c], eps, r.treeDepth()[c], r.leapfrogs()[c], r.divergent()[c], r.energy()[c]);
        b.append("# \n# Elapsed Time: ").append(wall).append(" seconds (Total)\n");
        return b.toString();
    }

    /** CmdStan rows: Stan's sampler columns, then the target's outputs. */
    private static void rows(StringBuilder b, Target t, double[][] x, double[] lp, double[] acc, double[] eps, int[] depth, int[] leap, boolean[] div, double[] energy) {
        if (x.length == 0) return;
        Tensor y = t.constrain(Tensor.matrix(x));
        int w = y.dim(1);
        double[] v = y.toDoubleArray();
        for (int i = 0; i < y.dim(0); i++) {
            b.append(lp[i]).append(',').append(acc[i]).append(',').append(eps[i]).append(',').append(depth[i]).append(',')
                    .append(leap[i]).append(',').append(div[i] ? 1 : 0).append(',').append(energy[i]);
            for (int j = 0; j < w; j++) b.append(',').append(v[i * w + j]);
            b.append('\n');
        }
    }

    private Map<String, Object> summary(Target t, String m, McmcResult r, double wall, Map<String, Object> metrics) {
        double[] rhat = Diagnostics.rhat(r), ess = Diagnostics.essBulk(r);
        List<String> names = t.names();
        Map<String, Object> rh = new LinkedHashMap<>(), es = new LinkedHashMap<>();
        double rhatMax = Double.NEGATIVE_INFINITY, essMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < names.size(); i++) {
            rh.put(names.get(i), rhat[i]); es.put(names.get(i), ess[i]);
            rhatMax = Math.max(rhatMax, rhat[i]); essMin = Math.min(essMin, ess[i]);
        }
        int depthMax = 0, atMax = 0;
        long leapfrogs = 0;
        double depthSum = 0, acceptSum = 0;
        int n = 0, maxDepth = Nuts.defaults().maxTreeDepth();
        for (int c = 0; c < r.chains(); c++)
            for (int k = 0; k < r.drawsPerChain(); k++) {
                int dd = r.treeDepth()[c][k];
                depthMax = Math.max(depthMax, dd); depthSum += dd; if (dd >= maxDepth) atMax++;
                leapfrogs += r.leapfrogs()[c][k]; acceptSum += r.acceptStat()[c][k]; n++;
            }
        int warmupDiv = 0;
        for (int w : r.warmupDivergences()) warmupDiv += w;
        List<Integer> divPerChain = new ArrayList<>();
        for (boolean[] chain : r.divergent()) { int k = 0; for (boolean b : chain) if (b) k++; divPerChain.add(k); }

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("target", t.name());
        s.put("method", m);
        s.put("data", data == null ? null : data.toString());
        s.put("response", response);
        s.put("chains", r.chains());
        s.put("warmup", warmup);
        s.put("draws", draws);
        s.put("thin", thin);
        s.put("draws_kept", r.drawsPerChain());
        s.put("save_warmup", saveWarmup);
        s.put("warmup_kept", r.warmup() == null ? 0 : r.warmup().perChain());
        s.put("init", init);
        if ("pathfinder".equals(init)) {
            s.put("init_paths", initPaths);
            s.put("init_psis_khat", Double.isFinite(pathfinderKhat) ? pathfinderKhat : null);
        }
        s.put("seed", seed);
        s.put("threads", Math.min(threads, chains));
        if (m.equals("nuts")) s.put("max_tree_depth", maxDepth);
        else s.put("integration_time", Hmc.defaults().integrationTime());
        s.put("target_accept", accept(m));
        s.put("wall_seconds", wall);
        s.put("names", names);
        s.put("rhat", rh);
        s.put("ess_bulk", es);
        s.put("ess_tail", perName(names, Diagnostics.essTail(r)));
        s.put("mcse_mean", perName(names, Diagnostics.mcseMean(r)));
        s.put("mcse_sd", perName(names, Diagnostics.mcseSd(r)));
        s.put("rhat_max", rhatMax);
        s.put("ess_bulk_min", essMin);
        s.put("step_size", java.util.Arrays.stream(r.stepSize()).boxed().toList());
        s.put("divergences", r.divergences());
        s.put("divergences_per_chain", divPerChain);
        s.put("warmup_divergences", warmupDiv);
        s.put("tree_depth_mean", depthSum / n);
        s.put("tree_depth_max", depthMax);
        s.put("tree_depth_at_max", m.equals("nuts") ? atMax : 0);
        s.put("leapfrogs_per_draw", (double) leapfrogs / n);
        s.put("accept_stat_mean", acceptSum / n);
        s.put("e_bfmi", java.util.Arrays.stream(r.energy()).map(Diagnostics::ebfmi).toList());
        s.put("metrics_reference", metrics.containsKey("reference_n") ? "exact (" + Cli.REFERENCE_DRAWS + " draws, seed " + Cli.REFERENCE_SEED + ")" : null);
        s.put("metrics", metrics);
        s.put("sivi_version", new Main.Version().getVersion()[0]);
        s.put("java", System.getProperty("java.version"));
        s.put("created", java.time.OffsetDateTime.now().withNano(0).toString());
        return s;
    }

    private static Map<String, Object> perName(List<String> names, double[] v) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) m.put(names.get(i), v[i]);
        return m;
    }

    private static double mean(int[] v) {
        double s = 0;
        for (int x : v) s += x;
        return v.length == 0 ? 0 : s / v.length;
    }
}
