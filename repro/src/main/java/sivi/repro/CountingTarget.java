package sivi.repro;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/**
 * A target that counts the rows it evaluates: {@link #evals} = log-density rows + score rows (one
 * "log-density/gradient evaluation" per point, as the Pathfinder paper counts cost), {@link #hvps} =
 * Hessian-vector-product rows (the score-based methods' backward through s_p). Everything else is
 * passed through, so the fit runs exactly as on the wrapped target.
 */
final class CountingTarget implements Target {
    private final Target inner;
    private final AtomicLong evals, hvps;

    CountingTarget(Target inner) { this(inner, new AtomicLong(), new AtomicLong()); }

    private CountingTarget(Target inner, AtomicLong evals, AtomicLong hvps) { this.inner = inner; this.evals = evals; this.hvps = hvps; }

    long evals() { return evals.get(); }

    long hvps() { return hvps.get(); }

    private static long rows(Tensor x) { return x.shape().length == 1 ? 1 : x.shape()[0]; }

    @Override public String name() { return inner.name(); }
    @Override public int dim() { return inner.dim(); }
    @Override public List<String> names() { return inner.names(); }
    @Override public List<String> outputNames() { return inner.outputNames(); }
    @Override public Tensor constrain(Tensor x) { return inner.constrain(x); }
    @Override public Tensor unconstrain(Tensor y) { return inner.unconstrain(y); }
    @Override public boolean isNormalised() { return inner.isNormalised(); }

    @Override public Var logDensity(Var x) {
        evals.addAndGet(rows(x.value()));
        return inner.logDensity(x);
    }

    @Override public Tensor scoreValue(Tensor x) {
        evals.addAndGet(rows(x));
        return inner.scoreValue(x);
    }

    @Override public ScoreWithCache scoreWithCache(Tensor x) {
        evals.addAndGet(rows(x));
        return inner.scoreWithCache(x);
    }

    @Override public Tensor hvpValue(Tensor x, Tensor v) {
        hvps.addAndGet(rows(x));
        return inner.hvpValue(x, v);
    }

    @Override public Tensor hvpValue(Tensor x, Tensor v, Object cache) {
        hvps.addAndGet(rows(x));
        return inner.hvpValue(x, v, cache);
    }

    @Override public Target batch(long seed, long iteration) {
        Target m = inner.batch(seed, iteration);
        return m == inner ? this : new CountingTarget(m, evals, hvps);
    }

    @Override public Optional<Tensor> exactSample(Rng rng, int n) { return inner.exactSample(rng, n); }
    @Override public double[] plotBox() { return inner.plotBox(); }
}
