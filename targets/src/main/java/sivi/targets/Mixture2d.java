package sivi.targets;

import java.util.Optional;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Equal-weight mixtures of 2-D Gaussians from the SIVI-SM / KSIVI papers (normalised):
 * {@code multimodal} = ½N((2,0), I) + ½N((−2,0), I) and {@code x-shaped} = ½N(0, Σ₁) + ½N(0, Σ₂) with
 * Σ₁ = [[2, 1.8], [1.8, 2]], Σ₂ = [[2, −1.8], [−1.8, 2]]. log p = logsumexp_k(log ½ + log N(x | m_k, Σ_k));
 * score and HVP from the autodiff.
 * <p>As implemented: docs/targets.md#multimodal.
 */
public final class Mixture2d implements Target {
    private final String name;
    private final double[][] means;     // K × 2
    private final double[][] precs;     // K × 4 (row-major 2×2)
    private final double[][] chols;     // K × 4
    private final double[] logConst;    // per component: log ½ − log 2π − ½ log det Σ_k

    private Mixture2d(String name, double[][] means, double[][] covs) {
        this.name = name;
        int k = means.length;
        this.means = means; this.precs = new double[k][]; this.chols = new double[k][]; this.logConst = new double[k];
        for (int i = 0; i < k; i++) {
            chols[i] = Linalg.cholesky(covs[i], 2);
            precs[i] = Linalg.inverseFromCholesky(chols[i], 2);
            double det = covs[i][0] * covs[i][3] - covs[i][1] * covs[i][2];
            logConst[i] = -Math.log(k) - Math.log(2 * Math.PI) - 0.5 * Math.log(det);
        }
    }

    public static Mixture2d multimodal() {
        return new Mixture2d("multimodal", new double[][] {{2, 0}, {-2, 0}}, new double[][] {{1, 0, 0, 1}, {1, 0, 0, 1}});
    }

    public static Mixture2d xShaped() {
        return new Mixture2d("x-shaped", new double[][] {{0, 0}, {0, 0}}, new double[][] {{2, 1.8, 1.8, 2}, {2, -1.8, -1.8, 2}});
    }

    @Override public String name() { return name; }
    @Override public int dim() { return 2; }
    @Override public boolean isNormalised() { return true; }

    @Override public Var logDensity(Var x) {
        Var[] comps = new Var[means.length];
        for (int k = 0; k < means.length; k++) {
            Var diff = sub(x, constant(Tensor.of(x.dtype(), means[k], 1, 2)));
            Var q = sum(mul(matmul(diff, constant(Tensor.of(x.dtype(), precs[k], 2, 2))), diff), 1, true);
            comps[k] = addScalar(scale(q, -0.5), logConst[k]);
        }
        return logSumExp(concat(1, comps), 1, false);
    }

    @Override public Optional<Tensor> exactSample(Rng rng, int n) {
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(means.length);
            double z1 = rng.nextGaussian(), z2 = rng.nextGaussian();
            double[] l = chols[k];
            out[2 * i] = means[k][0] + l[0] * z1;
            out[2 * i + 1] = means[k][1] + l[2] * z1 + l[3] * z2;
        }
        return Optional.of(Tensor.wrap(out, n, 2));
    }
}
