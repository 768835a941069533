package sivi.methods;

import java.util.List;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.LayeredSemiImplicitGaussian;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Kernels;
import sivi.kernels.PairMedian;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.nn.Params;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Kernel semi-implicit VI (Cheng, Yu, Xie, Zhang, Zhang, ICML 2024, arXiv 2405.18997): minimises
 * KSD²(q‖p) in the score-difference form (docs/algorithms.md#ksivi)
 * <pre>  KSD² = E_{(x,z),(x',z') iid} [ d(x,z)ᵀ k(x,x') d(x',z') ],  d(x,z) = s_p(x) − ∇_x log q(x|z) = s_p(x) + ξ/σ. </pre>
 * Estimators:
 * <ul>
 *   <li>vanilla ({@code estimator=vanilla}, default): two independent batches of N,
 *       loss = (1/N²) Σ_{n,m} k(x_n, x'_m) d_nᵀ d'_m;</li>
 *   <li>U-statistic ({@code estimator=u}): one batch, loss = (1/N²) Σ_{n≠m} k(x_n, x_m) d_nᵀ d_m
 *       (divided by N², not N(N−1), as the reference code: E = (N−1)/N·KSD²).</li>
 * </ul>
 * Computed as (1/N²)·Σ_{n,m} k(x_n, x'_m) d_nᵀ d'_m by the fused {@link sivi.autodiff.Ops#ksdQuadratic}
 * (one pass over the pairs per iteration, gradients included; for U, minus Σ_n k(0)·|d_n|² with k(0) = 1),
 * so the only N×N tensor is the distances the median bandwidth needs (none with a fixed
 * bandwidth) — no kernel matrix, no N×N Gram of score differences, no N×N×d temporaries.
 *
 * <p>Kernels ({@code kernel=}, docs/algorithms.md#kernels), with D the N×N pairwise distances of the two
 * batches:
 * <ul>
 *   <li>{@code gaussian} (default): D = ||x − x'||², k = exp(−D/(2h²)), h² = ½·median(D)/log(N+1);</li>
 *   <li>{@code imq}: D = ||x − x'||², k = (1 + D/h)^(−½), h = median(D)/log(N+1);</li>
 *   <li>{@code laplace}: D = Σ_k |x_k − x'_k| (L1), k = exp(−D/h), h = median(D)/log(N+1).</li>
 * </ul>
 * The median is over all N² entries (zero diagonal included for U); k(0) = 1 for all three.
 *
 * <p>As in the reference code everything is differentiated: through x, through s_p(x) (a
 * Hessian-vector product of log p per sample, via the target's score op), through ξ/σ into σ,
 * through the kernel (for Laplace through the L1 distances: sign(x − x') per coordinate, 0 at a
 * tie) and, for the Gaussian kernel unless {@code detach_bandwidth=true}, through the median
 * bandwidth (the gradient reaches the one selected entry, as torch.median's). The IMQ and Laplace
 * bandwidths are always detached (as the reference); {@code detach_bandwidth=false} with them is
 * an error. {@code hessian_free=true} treats s_p as a constant: this is NOT
 * KSIVI (it changes the fixed points) and exists only as an explicit ablation.
 * {@code bandwidth=h > 0} fixes h instead of the median heuristic (for tests and ablations).
 * {@code anneal=f}: s_p multiplied by min(1, 0.1 + t/(f·anneal_total)) (multimodal recipe).
 * {@code reg_logp=true}: loss = KSD² − mean log p over the first batch, as the reference BNN script (not KSIVI's
 * fixed point; there only to reproduce that recipe).
 *
 * <p>{@code ksivi-ml} ({@link #multiLayer()}): the same objective on the multi-layer family
 * {@link LayeredSemiImplicitGaussian} ({@code layers}, default 2), using the last layer's explicit
 * conditional score −ξ_L/σ_L — our construction for the journal's multi-layer KSIVI (arXiv 2601.12023),
 * whose text was not available; see that class.
 */
public final class Ksivi implements Method {
    private final boolean multiLayer;

    public Ksivi() { this(false); }

    private Ksivi(boolean multiLayer) { this.multiLayer = multiLayer; }

    /** The multi-layer variant, registered as "ksivi-ml". */
    public static Ksivi multiLayer() { return new Ksivi(true); }

    @Override public String name() { return multiLayer ? "ksivi-ml" : "ksivi"; }

    private static List<OptionSpec> options(boolean multiLayer) {
        List<OptionSpec> o = new java.util.ArrayList<>(Simi.Recipe.options(-20));
        o.add(OptionSpec.choice("kernel", "gaussian", "Stein kernel (gaussian = rbf)", "gaussian", "rbf", "imq", "laplace"));
        o.add(OptionSpec.choice("estimator", "vanilla", "KSD² estimate: vanilla (V-statistic) or u (U-statistic)", "vanilla", "u"));
        o.add(OptionSpec.bool("detach_bandwidth", null, "no gradient through the median bandwidth (default: true except for kernel=gaussian)"));
        o.add(OptionSpec.bool("hessian_free", false, "drop the score's Hessian term from the gradient"));
        o.add(OptionSpec.real("bandwidth", 0.0, "fixed kernel bandwidth; 0 = median heuristic").min(0));
        o.add(OptionSpec.bool("reg_logp", false, "add −mean log p(x) of the first batch to the loss (KSIVI's BNN script, reg_logp: True); not KSIVI's fixed point"));
        if (multiLayer) {
            o.add(OptionSpec.integer("layers", 2, "semi-implicit layers").min(1));
            o.add(OptionSpec.real("inner_logvar_init", null, "initial log σ² of the inner layers (default: logvar_init)"));
        }
        return o;
    }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("ksivi",
            "kernel SIVI (Cheng et al. 2024): KSD with the score-difference form, vanilla or U-statistic", options(false), Ksivi::new);
    public static final MethodDescriptor MULTI_LAYER = new MethodDescriptor("ksivi-ml",
            "multi-layer kernel SIVI: KSD objective on a stack of semi-implicit layers (our construction of arXiv 2601.12023)", options(true), Ksivi::multiLayer);

    /** How the KSD² estimate is formed (docs/algorithms.md#ksivi). */
    record Estimator(StationaryKernel kernel, boolean uStatistic, boolean detachBandwidth, boolean hessianFree, double fixedBandwidth) {}

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        Simi.Recipe r = Simi.Recipe.read(o, -20);
        StationaryKernel kernel = StationaryKernel.parse(o.getString("kernel", "gaussian"));
        String estimator = o.getString("estimator", "vanilla");
        if (!estimator.equals("vanilla") && !estimator.equals("u")) throw new IllegalArgumentException(name() + ": estimator must be vanilla or u, got " + estimator);
        boolean detachBw = o.getBool("detach_bandwidth", kernel != StationaryKernel.RBF);
        if (!detachBw && kernel != StationaryKernel.RBF)
            throw new IllegalArgumentException(name() + ": detach_bandwidth=false needs kernel=gaussian (the imq and laplace bandwidths are always detached, as the reference)");
        boolean hessianFree = o.getBool("hessian_free", false);
        double fixedH = o.getDouble("bandwidth", 0);
        if (fixedH < 0) throw new IllegalArgumentException(name() + ": bandwidth must be > 0 (fixed) or 0 (median heuristic), got " + fixedH);
        Estimator est = new Estimator(kernel, estimator.equals("u"), detachBw, hessianFree, fixedH);

        TrainState state = new TrainState();
        Family q;
        if (multiLayer) {
            int layers = o.getInt("layers", 2);
            double inner = o.getDouble("inner_logvar_init", r.logvarInit());
            q = LayeredSemiImplicitGaussian.create(state.params(), "q", target.dim(), r.zdim(), r.hidden(), layers,
                    r.logvarInit(), inner, r.logvarMin(), rng, dtype);
            r.addFamilyGroups(state, "q.mu", "q.logvar");
            r.warmStart(state, q, target, rng);
        } else {
            q = r.simiNet(state, target, rng, dtype);
        }
        return new KsiviSession(state, q, r, est, o.getBool("reg_logp", false));
    }

    private record KsiviSession(TrainState state, Family q, Simi.Recipe recipe, Estimator est, boolean regLogp) implements Session {
        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            int parts = Particles.parts(recipe.batch());
            if (parts > 1 || Particles.forcedParts > 0) return partitionedStep(t, iteration, rng, parts);
            Params.Bound p = state.bind();
            Loss l = lossAndDraw(q, p, t, rng, recipe.batch(), est, recipe.scoreScale(iteration));
            Var loss = regLogp ? sub(l.ksd(), mean(t.logDensity(l.a().x()))) : l.ksd();
            recipe.applyFamily(state, p.gradients(loss), iteration);
            return StepInfo.of(loss.item());
        }

        /** One part's particles and graph: its bound parameters, draws and score differences (a, d_a; b, d_b). */
        private record Part(Params.Bound p, Family.Draw a, Var da, Family.Draw b, Var db) {}

        /**
         * The same step with the batch split into one part per thread (docs/results/performance-session9.md): each part
         * draws its particles from its own stream and builds their graph (generator, s_p and its HVP); the pairwise KSD
         * pass runs once over the whole batch on leaves cut from the parts' values; each part then back-propagates its
         * rows of that pass's gradient (the vector-Jacobian product ⟨x, ∂L/∂x⟩ + ⟨d, ∂L/∂d⟩) into its share of the
         * parameter gradient, and the shares are summed in part order.
         */
        private StepInfo partitionedStep(Target t, int iteration, Rng rng, int parts) {
            int n = recipe.batch();
            double scoreScale = recipe.scoreScale(iteration);
            Rng[] streams = Particles.streams(rng, parts);
            int[] lo = new int[parts + 1];
            for (int k = 0; k <= parts; k++) lo[k] = (int) ((long) n * k / parts);
            Part[] part = new Part[parts];
            sivi.kernels.Kernels.current().parts(parts, k -> {
                int nk = lo[k + 1] - lo[k];
                Params.Bound p = state.bind();
                Family.Draw a = q.sample(p, streams[k], nk);
                Var da = scoreDifference(t, a, scoreScale, est.hessianFree());
                Family.Draw b = est.uStatistic() ? a : q.sample(p, streams[k], nk);
                Var db = est.uStatistic() ? da : scoreDifference(t, b, scoreScale, est.hessianFree());
                part[k] = new Part(p, a, da, b, db);
            });
            Var xa = cut(part, Part::a), dA = cutVar(part, Part::da);
            Var xb = est.uStatistic() ? xa : cut(part, Part::b), dB = est.uStatistic() ? dA : cutVar(part, Part::db);
            Var h = bandwidth(est, xa, xb, n);
            double[] loss = new double[1];
            Tensor[] rowsX = new Tensor[parts], rowsD = new Tensor[parts];
            for (int k = 0; k < parts; k++) { rowsX[k] = part[k].a().x().value(); rowsD[k] = part[k].da().value(); }
            Tensor[] g = pairwiseByRows(est, rowsX, rowsD, xa, dA, xb, dB, h, n, loss);
            Particles.Shares s = Particles.run(parts, n, (k, nk) -> {
                Part pk = part[k];
                Var vjp = add(dot(pk.a().x(), g[0], lo[k], lo[k + 1]), dot(pk.da(), g[1], lo[k], lo[k + 1]));
                if (!est.uStatistic()) vjp = add(vjp, add(dot(pk.b().x(), g[2], lo[k], lo[k + 1]), dot(pk.db(), g[3], lo[k], lo[k + 1])));
                double reg = 0;
                if (regLogp) {   // this part's rows of −(1/n) Σ log p(x_a)
                    Var lp = scale(sum(t.logDensity(pk.a().x())), -1.0 / n);
                    vjp = add(vjp, lp);
                    reg = lp.item();
                }
                return new Particles.Share(pk.p().gradients(vjp), reg, 0);
            });
            recipe.applyFamily(state, s.gradients(), iteration);
            return StepInfo.of(loss[0] + s.loss());
        }

        private static Var cut(Part[] parts, java.util.function.Function<Part, Family.Draw> draw) {
            return cutVar(parts, pt -> draw.apply(pt).x());
        }

        /** The parts' values stacked by rows as one leaf (no graph back into the parts). */
        private static Var cutVar(Part[] parts, java.util.function.Function<Part, Var> v) {
            Var[] xs = new Var[parts.length];
            for (int k = 0; k < parts.length; k++) xs[k] = constant(v.apply(parts[k]).value());
            return Var.leaf(sivi.autodiff.GradMode.noGrad(() -> concat(0, xs)).value());
        }

        /** Σ v ⊙ g[rows lo..hi) with g constant: the vector-Jacobian product's term for one part. */
        private static Var dot(Var v, Tensor g, int lo, int hi) {
            return sum(mul(v, constant(g.slice(0, lo, hi))));
        }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }

        @Override public java.util.Optional<sivi.fit.DensitySession.Draws> sampleWithLogDensityBound(Rng rng, int n) {
            return java.util.Optional.of(SemiImplicitBound.withMixingProposal(q, state.evaluationParams(), rng, n, SemiImplicitBound.K));
        }
    }

    /**
     * The pairwise KSD pass split by rows: part k pairs its own particles (rowsX[k], rowsD[k]: its rows of the cut
     * leaves, in order) with all of them, on its own thread, in one fused kernel call; the column-side gradients are added
     * in part order, and the bandwidth's gradient (summed over the parts) is taken back through the median to the
     * two selected rows. Returns the loss's gradients with respect to (xa, dA) for the U-statistic, else
     * (xa, dA, xb, dB), and the loss in loss[0] — the same quantities the plain step's autodiff graph gives.
     */
    static Tensor[] pairwiseByRows(Estimator est, Tensor[] rowsX, Tensor[] rowsD, Var xa, Var dA, Var xb, Var dB, Var h, int n, double[] loss) {
        int parts = rowsX.length;
        double hv = h.value().item(), c = 1.0 / ((double) n * n);
        Tensor xbv = xb.value(), dbv = dB.value();
        Tensor[][] r = new Tensor[parts][];
        sivi.kernels.Kernels.current().parts(parts, k -> r[k] = sivi.kernels.Kernels.current().ksdQuadraticWithGradient(
                est.kernel(), rowsX[k], xbv, rowsD[k], dbv, hv));
        return sivi.autodiff.GradMode.noGrad(() -> {
            double quad = 0, gh = 0;
            Var[] gxRows = new Var[parts], gaRows = new Var[parts];
            Var gy = null, gb = null;
            for (int k = 0; k < parts; k++) {
                quad += r[k][0].item();
                gh += r[k][5].item();
                gxRows[k] = constant(r[k][1]);
                gaRows[k] = constant(r[k][3]);
                gy = gy == null ? constant(r[k][2]) : add(gy, constant(r[k][2]));
                gb = gb == null ? constant(r[k][4]) : add(gb, constant(r[k][4]));
            }
            Var gx = scale(concat(0, gxRows), c), ga = scale(concat(0, gaRows), c);
            gy = scale(gy, c);
            gb = scale(gb, c);
            if (est.uStatistic()) {   // x = y, a = b: both sides of every pair, less the dropped diagonal Σ|d_n|²
                quad -= sum(square(dA)).item();
                gx = add(gx, gy);
                ga = sub(add(ga, gb), scale(dA, 2 * c));
            }
            loss[0] = quad * c;
            Var[] viaH = est.uStatistic() ? new Var[] {xa} : new Var[] {xa, xb};
            if (h.requiresGrad()) {   // the median bandwidth's gradient reaches its two rows
                Var[] t = sivi.autodiff.Autodiff.grad(h, viaH, constant(Tensor.scalar(h.dtype(), gh * c).reshape(h.shape())), false);
                gx = add(gx, t[0]);
                if (!est.uStatistic()) gy = add(gy, t[1]);
            }
            return est.uStatistic() ? new Tensor[] {gx.value(), ga.value()} : new Tensor[] {gx.value(), ga.value(), gy.value(), gb.value()};
        });
    }

    /**
     * The KSD² estimate for one iteration, differentiable with respect to the bound parameters.
     * Draws batch a, then (vanilla) batch b from {@code rng}.
     */
    static Var loss(Family q, Params.Bound p, Target t, Rng rng, int n, Estimator est, double scoreScale) {
        return lossAndDraw(q, p, t, rng, n, est, scoreScale).ksd();
    }

    /** The KSD² estimate and the first batch it was computed on. */
    record Loss(Var ksd, Family.Draw a) {}

    static Loss lossAndDraw(Family q, Params.Bound p, Target t, Rng rng, int n, Estimator est, double scoreScale) {
        Family.Draw a = q.sample(p, rng, n);
        Var da = scoreDifference(t, a, scoreScale, est.hessianFree());
        Family.Draw b = est.uStatistic() ? a : q.sample(p, rng, n);
        Var db = est.uStatistic() ? da : scoreDifference(t, b, scoreScale, est.hessianFree());
        Var quad = ksdQuadratic(est.kernel(), a.x(), b.x(), da, db, bandwidth(est, a.x(), b.x(), n)); // Σ_{n,m} k_nm d_nᵀ d'_m
        if (est.uStatistic()) quad = sub(quad, sum(square(da))); // drop n = m: k(x_n, x_n) = k(0) = 1 for every kernel
        return new Loss(scale(quad, 1.0 / ((double) n * n)), a);
    }

    /** d = s_p(x) + ξ/σ (scaled s_p when annealing); s_p detached only for the hessian_free ablation. */
    static Var scoreDifference(Target t, Family.Draw d, double scoreScale, boolean hessianFree) {
        Var sp = hessianFree ? constant(t.scoreValue(d.x().value())) : t.score(d.x());
        if (scoreScale != 1) sp = scale(sp, scoreScale);
        return add(sp, Simi.negConditionalScore(d));
    }

    /**
     * The median-heuristic bandwidth (docs/algorithms.md#kernels) for the kernel: RBF h = √(½·med/log(N+1)); IMQ and
     * Laplace h = med/log(N+1), detached (med of the squared Euclidean or of the L1 distances).
     */
    static Var bandwidth(Estimator est, Var x, Var y, int n) {
        if (est.fixedBandwidth() > 0) return scalar(x.dtype(), est.fixedBandwidth());
        double logN = Math.log(n + 1);
        // the backend's fused op: the whole matrix in a buffer it reuses from step to step, or blocks of rows above
        // PairwiseBlocks.WHOLE_MATRIX_LIMIT entries (O(N) memory); the same value and first entry either way
        PairMedian r = Kernels.current().pairwiseMedian(x.value(), y.value(), est.kernel().distance() == StationaryKernel.Distance.L1);
        // values only: the median's gradient (RBF, not detached) is rebuilt from the two selected rows
        return switch (est.kernel()) {
            case RBF -> sqrt(scale(Simi.medianOfSqDist(r.value(), r.row(), r.col(), x, y, est.detachBandwidth()), 0.5 / logN));
            case IMQ, LAPLACE -> scale(scalar(x.dtype(), r.value()), 1 / logN);
        };
    }
}
