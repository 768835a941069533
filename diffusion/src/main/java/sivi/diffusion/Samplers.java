package sivi.diffusion;

import java.util.Arrays;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Training-free samplers of a noise-prediction model. All start from x ~ N(0, I): the ancestral
 * sampler at t = T − 1, the grid samplers at the top of their grid (t = 800 for "quad", as HSIVI).
 * The grid samplers end at level t₀ = 0 and add no noise on the last step (HSIVI's sampling code
 * uses ξ = 0 there), so all few-step samplers return the same kind of output.
 * <p>As implemented: docs/algorithms.md#ddim.
 */
public final class Samplers {
    private Samplers() {}

    public static Tensor standardNormal(Rng rng, int n, int d) { return rng.normal(DType.F64, n, d); }

    private static double[] times(int n, double t) { double[] a = new double[n]; Arrays.fill(a, t); return a; }

    /**
     * DDPM ancestral sampling (Ho et al. 2020, Algorithm 2) over all T steps with the posterior
     * variance β̃_t = β_t(1 − ᾱ_{t−1})/(1 − ᾱ_t) (no noise at t = 0). NFE = T.
     */
    public static Tensor ddpm(EpsModel model, NoiseSchedule sch, Rng rng, Tensor xT) {
        int n = xT.dim(0), d = xT.dim(1);
        double[] x = xT.toDoubleArray();
        for (int t = sch.steps() - 1; t >= 0; t--) {
            double[] e = model.eps(Tensor.of(DType.F64, x, n, d), times(n, t)).toDoubleArray();
            double beta = sch.beta(t), ab = sch.alphaBar(t), sig = Math.sqrt(1 - ab);
            double abPrev = t > 0 ? sch.alphaBar(t - 1) : 1;
            double var = t > 0 ? beta * (1 - abPrev) / (1 - ab) : 0;
            double sd = Math.sqrt(var), c = 1 / Math.sqrt(1 - beta);
            for (int i = 0; i < x.length; i++) x[i] = c * (x[i] - beta / sig * e[i]) + (t > 0 ? sd * rng.nextGaussian() : 0);
        }
        return Tensor.of(DType.F64, x, n, d);
    }

    /**
     * DDIM (Song et al. 2021, eq. 12) on a grid with DDIM's η = {@code kappa} (0: deterministic).
     * NFE = grid.levels() − 1.
     */
    public static Tensor ddim(EpsModel model, NoiseSchedule sch, TimeGrid grid, double kappa, Rng rng, Tensor xT) {
        int n = xT.dim(0), d = xT.dim(1);
        double[] x = xT.toDoubleArray();
        for (int i = grid.levels() - 1; i >= 1; i--) {
            DdimStep st = DdimStep.of(sch, grid.at(i), grid.at(i - 1), kappa);
            double[] e = model.eps(Tensor.of(DType.F64, x, n, d), times(n, st.t())).toDoubleArray();
            double[] m = st.mean(x, e);
            boolean last = i == 1;
            for (int k = 0; k < x.length; k++) x[k] = m[k] + (last ? 0 : st.c1() * rng.nextGaussian());
        }
        return Tensor.of(DType.F64, x, n, d);
    }

    /**
     * DPM-Solver-2 (Lu et al. 2022, Algorithm 1 with r₁ = ½: the midpoint in λ = log(α/σ)) for a
     * budget of {@code nfe} network evaluations on the quad grid family: ⌊nfe/2⌋ second-order steps and,
     * for odd nfe, one first-order (DDIM, η = 0) step as the first (noisiest) step. The grid is
     * quad(steps + 1), or uniform / logsnr when asked. One step from t to s, h = λ_s − λ_t, m = λ⁻¹(λ_t + h/2):
     * <pre>
     *   u   = (α_m/α_t) x − σ_m (e^{h/2} − 1) ε(x, t)
     *   x_s = (α_s/α_t) x − σ_s (e^{h} − 1) ε(u, m)
     * </pre>
     * with α = √ᾱ. Deterministic.
     */
    public static Tensor dpmSolver2(EpsModel model, NoiseSchedule sch, int nfe, String gridKind, Tensor xT) {
        if (nfe < 1) throw new IllegalArgumentException("DPM-Solver-2 needs nfe >= 1");
        int second = nfe / 2, first = nfe % 2, steps = second + first;
        TimeGrid grid = TimeGrid.parse(gridKind, steps, sch);
        int n = xT.dim(0), d = xT.dim(1);
        double[] x = xT.toDoubleArray();
        for (int i = grid.levels() - 1, k = 0; i >= 1; i--, k++) {
            double t = grid.at(i), s = grid.at(i - 1);
            double[] e = model.eps(Tensor.of(DType.F64, x, n, d), times(n, t)).toDoubleArray();
            double aT = Math.sqrt(sch.alphaBar(t)), aS = Math.sqrt(sch.alphaBar(s)), sS = sch.sigma(s);
            double h = sch.lambda(s) - sch.lambda(t);
            if (k < first) {   // first-order step (= DDIM, η = 0)
                for (int j = 0; j < x.length; j++) x[j] = aS / aT * x[j] - sS * Math.expm1(h) * e[j];
                continue;
            }
            double m = sch.timeOfLambda(sch.lambda(t) + h / 2);
            double aM = Math.sqrt(sch.alphaBar(m)), sM = sch.sigma(m);
            double[] u = new double[x.length];
            for (int j = 0; j < x.length; j++) u[j] = aM / aT * x[j] - sM * Math.expm1(h / 2) * e[j];
            double[] eu = model.eps(Tensor.of(DType.F64, u, n, d), times(n, m)).toDoubleArray();
            for (int j = 0; j < x.length; j++) x[j] = aS / aT * x[j] - sS * Math.expm1(h) * eu[j];
        }
        return Tensor.of(DType.F64, x, n, d);
    }
}
