package sivi.methods;

import java.util.List;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.SemiImplicitGaussian;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.optim.Adam;
import sivi.optim.LrSchedule;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Kernel semi-implicit VI (Cheng, Yu, Xie, Zhang, Zhang, ICML 2024, eq. for KSD² in the
 * score-difference form). With d(x, z) = s_p(x) − ∇_x log q(x | z) = s_p(x) + ξ/σ:
 * <ul>
 *   <li>vanilla: two independent batches, loss = (1/N²) Σ_{n,m} k(x_n, x'_m) d_nᵀ d'_m;</li>
 *   <li>U-statistic ({@code estimator=u}): one batch, the diagonal n = m dropped, divided by N² as the reference code.</li>
 * </ul>
 * As in the reference code everything is differentiated: through x, through s_p(x) (a Hessian-vector
 * product of log p per sample, via the target's score op), through ξ/σ into σ, through the kernel,
 * and — for the Gaussian kernel unless {@code detach_bandwidth=true} — through the median bandwidth
 * h² = ½·median(D)/log(N+1). IMQ uses h = median(D)/log(N+1), detached. {@code hessian_free=true}
 * detaches s_p (NOT what KSIVI does; it changes the fixed points — an explicit option only).
 * {@code anneal=f}: the target score is multiplied by min(1, 0.1 + t/(f·T)) (the multimodal recipe).
 */
public final class Ksivi implements Method {
    @Override public String name() { return "ksivi"; }
    @Override public String description() { return "kernel semi-implicit VI (KSD objective, Cheng et al. 2024)"; }

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int batch = o.getInt("batch", 500);
        int zdim = o.getInt("zdim", 3), hidden = o.getInt("hidden", 50);
        double lr = o.getDouble("lr", 1e-3), lrVar = o.getDouble("lr_logvar", lr);
        int step = o.getInt("lr_step", 1000);
        double gamma = o.getDouble("lr_gamma", 0.9);
        double lvInit = o.getDouble("logvar_init", 0), lvMin = o.getDouble("logvar_min", -20);
        StationaryKernel kernel = StationaryKernel.parse(o.getString("kernel", "gaussian"));
        String estimator = o.getString("estimator", "vanilla");
        if (!estimator.equals("vanilla") && !estimator.equals("u")) throw new IllegalArgumentException("ksivi: estimator must be vanilla or u, got " + estimator);
        boolean detachBw = o.getBool("detach_bandwidth", kernel != StationaryKernel.RBF);
        boolean hessianFree = o.getBool("hessian_free", false);
        double anneal = o.getDouble("anneal", 0);
        int total = o.getInt("anneal_total", 50000);
        if (batch < 2) throw new IllegalArgumentException("ksivi: batch must be >= 2, got " + batch);

        TrainState state = new TrainState();
        SemiImplicitGaussian q = SemiImplicitGaussian.create(state.params(), "q", target.dim(), zdim, hidden, lvInit, lvMin, rng, dtype);
        state.addGroup("mean", List.of("q.mu."), Adam.reference(), LrSchedule.step(lr, gamma, step), 0);
        state.addGroup("logvar", List.of("q.logvar"), Adam.reference(), LrSchedule.step(lrVar, gamma, step), 0);
        return new KsiviSession(state, q, batch, kernel, estimator.equals("u"), detachBw, hessianFree, anneal, total);
    }

    private record KsiviSession(TrainState state, SemiImplicitGaussian q, int batch, StationaryKernel kernel, boolean uStat,
                                boolean detachBw, boolean hessianFree, double anneal, int annealTotal) implements Session {

        @Override public StepInfo step(Target target, int iteration, Rng rng) {
            Target t = target.minibatch(rng);
            var p = state.params().bind(name -> true);
            double scoreScale = anneal > 0 ? Math.min(1, 0.1 + iteration / (anneal * annealTotal)) : 1;
            Family.Draw a = q.sample(p, rng, batch);
            Var da = scoreDifference(t, a, scoreScale);
            Var dist, gram;
            if (uStat) {
                dist = sqDist(a.x(), a.x());
                gram = mul(matmul(da, da, false, true), constant(offDiagonal(a.x().dtype(), batch)));
            } else {
                Family.Draw b = q.sample(p, rng, batch);
                Var db = scoreDifference(t, b, scoreScale);
                dist = sqDist(a.x(), b.x());
                gram = matmul(da, db, false, true);
            }
            Var k = kernelFromSqDist(kernel, dist, bandwidth(dist));
            Var loss = scale(sum(mul(k, gram)), 1.0 / ((double) batch * batch));
            var grads = p.gradients(loss);
            state.apply("mean", filter(grads, "q.mu."), iteration);
            state.apply("logvar", filter(grads, "q.logvar"), iteration);
            return StepInfo.of(loss.item());
        }

        private Var scoreDifference(Target t, Family.Draw d, double scoreScale) {
            Var sp = hessianFree ? constant(t.scoreValue(d.x().value())) : t.score(d.x());
            if (scoreScale != 1) sp = scale(sp, scoreScale);
            return add(sp, div(d.xi(), d.sigma()));   // s_p(x) − ∇log q(x|z) = s_p + ξ/σ
        }

        private Var bandwidth(Var dist) {
            double logN = Math.log(batch + 1);
            Var med = median(detachBw ? dist.detach() : dist);
            return switch (kernel) {
                case RBF -> sqrt(scale(med, 0.5 / logN));   // h = √(½·med/log(N+1))
                case IMQ -> scale(med.detach(), 1 / logN);  // h = med/log(N+1), detached as the reference
            };
        }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }
    }

    static Tensor offDiagonal(DType dt, int n) {
        double[] m = new double[n * n];
        java.util.Arrays.fill(m, 1);
        for (int i = 0; i < n; i++) m[i * n + i] = 0;
        return Tensor.of(dt, m, n, n);
    }

    static java.util.Map<String, Tensor> filter(java.util.Map<String, Tensor> g, String prefix) { return Estimators.filter(g, prefix); }
}
