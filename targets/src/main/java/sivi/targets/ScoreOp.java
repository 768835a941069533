package sivi.targets;

import sivi.autodiff.Autodiff;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;

/**
 * The target score as one op. Value: s_p(x). Backward (first order): g ↦ H(x)·g per row, through
 * {@link Target#hvpValue} (analytic where the target has one). When a graph is recorded through
 * the backward (third-order use), it falls back to reverse-over-reverse autodiff of the log-density.
 */
final class ScoreOp {
    private ScoreOp() {}

    static Var apply(Target target, Var x) {
        Target.ScoreWithCache s = target.scoreWithCache(x.value());
        return Var.derived("score." + target.name(), s.score(), new Var[] {x}, g -> {
            if (!GradMode.isRecording()) return new Var[] {Var.constant(target.hvpValue(x.value(), g.value(), s.cache()))};
            return new Var[] {Autodiff.hvp(u -> Ops.sum(target.logDensity(u)), x, g, true)};
        });
    }
}
