package sivi.targets;

import sivi.autodiff.Var;

/**
 * A target that offers a loss to warm-start a variational family on its data before the method's
 * own objective takes over — the reference BNN scripts (KSIVI, SIVI-SM) fit the mean prediction of
 * the family's draws to the responses for 99 Adam steps before training.
 */
public interface WarmStart {
    /**
     * The warm-start loss of draws θ [N][D], differentiable in them.
     *
     * @param trainRows false: the dev rows (KSIVI's script); true: the {@code step}-th block of training rows in
     *                  order (SIVI-SM's script)
     * @param step      0-based warm-start step
     */
    Var warmStartLoss(Var draws, boolean trainRows, int step);
}
