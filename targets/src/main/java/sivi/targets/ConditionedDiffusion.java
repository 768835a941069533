package sivi.targets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Conditioned diffusion (KSIVI {@code Langevin_post}; Detommaso et al. 2018): a latent path
 * u_1..u_D on [0, 1], Δt = 1/D, u_0 = 0, Euler prior u_k | u_{k−1} ~ N(f(u_{k−1}), Δt) with
 * f(u) = u + β·u(1 − u²)/(1 + u²)·Δt, β = 10, and observations y_i = u_{k_i} + N(0, 0.1²) at every
 * (D/nObs)-th step. Unnormalised log posterior
 * −Σ_k (u_k − f(u_{k−1}))²/(2Δt) − Σ_i (u_{k_i} − y_i)²/(2σ²). Analytic score and (tridiagonal) HVP.
 *
 * <p>Data: one path simulated with the SAME drift (the reference code drops the 1/(1+u²) factor in
 * its simulator; we do not), seed {@value #SEED} of {@link Rng}, shipped as
 * {@code sivi/targets/cond-diffusion-D.csv} and regenerable with {@link #simulate}.
 * <p>As implemented: docs/targets.md#cond-diffusion.
 */
public final class ConditionedDiffusion implements Target {
    public static final long SEED = 2022;
    private static final double BETA = 10, SIGMA = 0.1;

    private final int d, every;
    private final double dt;
    private final double[] y; // observations, y[i] observes u at 1-based step (i+1)·every

    public ConditionedDiffusion(int d, int nObs, double[] observations) {
        if (nObs < 1 || d % nObs != 0) throw new IllegalArgumentException("cond-diffusion: D = " + d + " must be a multiple of the observation count " + nObs);
        if (observations.length != nObs) throw new IllegalArgumentException("cond-diffusion: " + observations.length + " observations, expected " + nObs);
        this.d = d; this.every = d / nObs; this.dt = 1.0 / d; this.y = observations.clone();
    }

    /** The shipped data set for D ∈ {50, 100, 200} (10, 20, 40 observations). */
    public static ConditionedDiffusion shipped(int d) {
        String res = "/sivi/targets/cond-diffusion-" + d + ".csv";
        try (InputStream in = ConditionedDiffusion.class.getResourceAsStream(res)) {
            if (in == null) throw new IllegalArgumentException("no shipped conditioned-diffusion data for D = " + d + " (have 50, 100, 200)");
            List<Double> obs = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.startsWith("#") || line.startsWith("step") || line.isBlank()) continue;
                String[] f = line.split(",");
                obs.add(Double.parseDouble(f[1]));
            }
            return new ConditionedDiffusion(d, obs.size(), obs.stream().mapToDouble(Double::doubleValue).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Simulates the true path and the observations: returns {path (D), observations (nObs)}. */
    public static double[][] simulate(int d, int nObs, long seed) {
        Rng rng = new Rng(seed);
        double dt = 1.0 / d;
        double[] u = new double[d];
        double prev = 0;
        for (int k = 0; k < d; k++) { u[k] = drift(prev, dt) + Math.sqrt(dt) * rng.nextGaussian(); prev = u[k]; }
        int every = d / nObs;
        double[] obs = new double[nObs];
        for (int i = 0; i < nObs; i++) obs[i] = u[(i + 1) * every - 1] + SIGMA * rng.nextGaussian();
        return new double[][] {u, obs};
    }

    public double[] observations() { return y.clone(); }

    /** Regenerates the shipped files: {@code java ... sivi.targets.ConditionedDiffusion DIR}. */
    public static void main(String[] args) throws IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(args.length > 0 ? args[0] : "targets/src/main/resources/sivi/targets");
        for (int[] cfg : new int[][] {{50, 10}, {100, 20}, {200, 40}}) {
            double[][] sim = simulate(cfg[0], cfg[1], SEED);
            StringBuilder b = new StringBuilder("# conditioned diffusion observations: D=" + cfg[0] + ", " + cfg[1]
                    + " observations, simulated by sivi.targets.ConditionedDiffusion.simulate(D, nObs, " + SEED + ")\nstep,y\n");
            int every = cfg[0] / cfg[1];
            for (int i = 0; i < cfg[1]; i++) b.append((i + 1) * every).append(',').append(sim[1][i]).append('\n');
            java.nio.file.Files.writeString(dir.resolve("cond-diffusion-" + cfg[0] + ".csv"), b.toString());
        }
    }

    /** f(u) = u + β·u(1−u²)/(1+u²)·Δt. */
    static double drift(double u, double dt) { return u + BETA * dt * (u - u * u * u) / (1 + u * u); }

    private double fPrime(double u) { double q = 1 + u * u; return 1 + BETA * dt * (1 - 4 * u * u - u * u * u * u) / (q * q); }

    private double fSecond(double u) { double q = 1 + u * u; return BETA * dt * (4 * u * u * u - 12 * u) / (q * q * q); }

    @Override public String name() { return d == 100 ? "cond-diffusion" : "cond-diffusion-" + d; }
    @Override public int dim() { return d; }
    @Override public boolean isNormalised() { return false; }

    @Override public List<String> names() {
        List<String> n = new ArrayList<>();
        for (int k = 1; k <= d; k++) n.add("u" + k);
        return n;
    }

    @Override public Var logDensity(Var u) {
        int n = u.dim(0);
        Var prev = concat(1, constant(Tensor.zeros(u.dtype(), n, 1)), slice(u, 1, 0, d - 1));
        Var g = div(sub(prev, mul(prev, square(prev))), addScalar(square(prev), 1));
        Var mean = add(prev, scale(g, BETA * dt));
        Var prior = scale(sum(square(sub(u, mean)), 1, false), -1 / (2 * dt));
        double[] mask = new double[d], yy = new double[d];
        for (int i = 0; i < y.length; i++) { mask[(i + 1) * every - 1] = 1; yy[(i + 1) * every - 1] = y[i]; }
        Var resid = mul(sub(u, constant(Tensor.of(u.dtype(), yy, 1, d))), constant(Tensor.of(u.dtype(), mask, 1, d)));
        Var like = scale(sum(square(resid), 1, false), -1 / (2 * SIGMA * SIGMA));
        return add(prior, like);
    }

    @Override public Tensor scoreValue(Tensor x) {
        double[] a = x.toDoubleArray(), s = new double[a.length];
        int rows = a.length / d;
        for (int n = 0; n < rows; n++) {
            int o = n * d;
            for (int j = 0; j < d; j++) {
                double prev = j == 0 ? 0 : a[o + j - 1];
                double g = -(a[o + j] - drift(prev, dt)) / dt;
                if (j + 1 < d) g += (a[o + j + 1] - drift(a[o + j], dt)) * fPrime(a[o + j]) / dt;
                if ((j + 1) % every == 0) g -= (a[o + j] - y[(j + 1) / every - 1]) / (SIGMA * SIGMA);
                s[o + j] = g;
            }
        }
        return Tensor.of(x.dtype(), s, x.shape());
    }

    /** Tridiagonal Hessian: H_jj = −1/Δt − f'(u_j)²/Δt + r_{j+1} f''(u_j)/Δt − [obs]/σ², H_{j,j+1} = f'(u_j)/Δt. */
    @Override public Tensor hvpValue(Tensor x, Tensor v) {
        double[] a = x.toDoubleArray(), b = v.toDoubleArray(), r = new double[a.length];
        int rows = a.length / d;
        for (int n = 0; n < rows; n++) {
            int o = n * d;
            for (int j = 0; j < d; j++) {
                double hjj = -1 / dt;
                if (j + 1 < d) {
                    double fp = fPrime(a[o + j]), res = a[o + j + 1] - drift(a[o + j], dt);
                    hjj += (-fp * fp + res * fSecond(a[o + j])) / dt;
                    r[o + j] += fp / dt * b[o + j + 1];
                    r[o + j + 1] += fp / dt * b[o + j];
                }
                if ((j + 1) % every == 0) hjj -= 1 / (SIGMA * SIGMA);
                r[o + j] += hjj * b[o + j];
            }
        }
        return Tensor.of(x.dtype(), r, x.shape());
    }
}
