package sivi.posteriordb;

import java.util.Map;
import sivi.autodiff.Var;

import static sivi.autodiff.Ops.*;
import static sivi.posteriordb.StanMath.*;

/**
 * The ODE posteriors, solved by fixed-step RK4 through {@link StanMath#integrate} (differentiable
 * through its steps). Stan uses adaptive rk45 (lotka_volterra, rel. tol 1e-5) and BDF
 * (one_comp_mm_elim_abs, tol 1e-6); the step sizes here keep RK4's global error below those
 * tolerances on the posterior's bulk (checked against a 4× finer step in the tests).
 */
final class Ode {
    private Ode() {}

    /** lotka_volterra: predator–prey ODE, lognormal measurement error; theta, z_init, sigma > 0. */
    static final class LotkaVolterra extends StanModel {
        static final double STEP = 0.2;
        private final int n;
        private final double[] ts, yInit;
        private final double[][] rows;

        LotkaVolterra(String posterior) {
            super(posterior);
            StanData d = StanData.load(posterior);
            n = d.integer("N", 0);
            ts = d.vector("ts", n);
            yInit = d.vector("y_init", 2);
            double[][] y = d.matrix("y", n, 2);
            rows = y;
            for (int i = 0; i < n; i++) {
                if (!(y[i][0] >= 0 && y[i][1] >= 0)) throw new IllegalArgumentException("posteriordb " + posterior + ": data 'y' row " + (i + 1) + " is below its declared lower bound 0");
            }
            vector("theta", 4, Constraint.lower(0));
            vector("z_init", 2, Constraint.lower(0));
            vector("sigma", 2, Constraint.lower(0));
        }

        /** The populations (u, v) at each of ts, N-vectors. */
        Var[][] solve(Params p) {
            Var alpha = p.at("theta", 0), beta = p.at("theta", 1), gamma = p.at("theta", 2), delta = p.at("theta", 3);
            Rhs f = (t, z) -> new Var[] {mul(sub(alpha, mul(beta, z[1])), z[0]), mul(sub(mul(delta, z[0]), gamma), z[1])};
            return integrate(f, new Var[] {p.at("z_init", 0), p.at("z_init", 1)}, 0, ts, STEP);
        }

        @Override protected Var model(Params p) {
            Var theta = p.get("theta"), zInit = p.get("z_init"), sigma = p.get("sigma");
            Var[][] z = solve(p);
            Var lp = add(add(normalLpdf(p.at("theta", 0), 1, 0.5), normalLpdf(p.at("theta", 2), 1, 0.5)),
                    add(normalLpdf(p.at("theta", 1), 0.05, 0.05), normalLpdf(p.at("theta", 3), 0.05, 0.05)));
            Var ls = log(sigma);
            lp = add(lp, sum(sub(normalLpdf(ls, -1, 1), ls), 1, false));
            Var lz = log(zInit);
            lp = add(lp, sum(sub(normalLpdf(lz, Math.log(10), 1), lz), 1, false));
            lp = add(lp, sum(lognormalLpdf(data(theta, yInit, 1, 2), lz, sigma), 1, false));
            Var s1 = p.at("sigma", 0), s2 = p.at("sigma", 1);
            for (int i = 0; i < n; i++)
                lp = add(lp, add(lognormalLpdf(num(s1, rows[i][0]), log(z[i][0]), s1), lognormalLpdf(num(s2, rows[i][1]), log(z[i][1]), s2)));
            return lp;
        }

        @Override protected PointModel pointModel() { return this::point; }

        /** The solve with its sensitivities to theta[1..4] and z_init[1..2] ({@link #solvePoint}), then the likelihood. */
        private double point(Map<String, double[]> v, Map<String, double[]> g) {
            double[] theta = v.get("theta"), zInit = v.get("z_init"), sigma = v.get("sigma");
            double alpha = theta[0], beta = theta[1], gamma = theta[2], delta = theta[3];
            PointRhs f = (t, z, dz, jz, jp) -> {
                dz[0] = (alpha - beta * z[1]) * z[0];
                dz[1] = (delta * z[0] - gamma) * z[1];
                jz[0] = alpha - beta * z[1]; jz[1] = -beta * z[0];
                jz[2] = delta * z[1];        jz[3] = delta * z[0] - gamma;
                // ∂f/∂(alpha, beta, gamma, delta, z_init): the initial values do not enter f
                java.util.Arrays.fill(jp, 0);
                jp[0] = z[0]; jp[1] = -z[1] * z[0];
                jp[6 + 2] = -z[1]; jp[6 + 3] = z[0] * z[1];
            };
            double[] s0 = new double[2 * 6];
            s0[4] = 1;
            s0[6 + 5] = 1;
            double[][] z = solvePoint(f, 2, 6, zInit.clone(), s0, 0, ts, STEP);
            double[] gTheta = g.get("theta"), gZ = g.get("z_init"), gSigma = g.get("sigma");
            double lp = PointMath.normal(alpha, 1, 0.5) + PointMath.normal(gamma, 1, 0.5) + PointMath.normal(beta, 0.05, 0.05) + PointMath.normal(delta, 0.05, 0.05);
            gTheta[0] = PointMath.normalDy(alpha, 1, 0.5);
            gTheta[2] = PointMath.normalDy(gamma, 1, 0.5);
            gTheta[1] = PointMath.normalDy(beta, 0.05, 0.05);
            gTheta[3] = PointMath.normalDy(delta, 0.05, 0.05);
            for (int k = 0; k < 2; k++) {
                double ls = Math.log(sigma[k]), lz = Math.log(zInit[k]), ly = Math.log(yInit[k]);
                lp += PointMath.normal(ls, -1, 1) - ls + PointMath.normal(lz, Math.log(10), 1) - lz + PointMath.normal(ly, lz, sigma[k]) - ly;
                gSigma[k] = (PointMath.normalDy(ls, -1, 1) - 1) / sigma[k] + PointMath.normalDsigma(ly, lz, sigma[k]);
                gZ[k] = (PointMath.normalDy(lz, Math.log(10), 1) - 1 - PointMath.normalDy(ly, lz, sigma[k])) / zInit[k];
            }
            for (int i = 0; i < n; i++)
                for (int k = 0; k < 2; k++) {
                    double zi = z[i][k], lzi = Math.log(zi), ly = Math.log(rows[i][k]);
                    lp += PointMath.normal(ly, lzi, sigma[k]) - ly;
                    gSigma[k] += PointMath.normalDsigma(ly, lzi, sigma[k]);
                    double dz = -PointMath.normalDy(ly, lzi, sigma[k]) / zi;   // ∂lp/∂z[i][k]
                    for (int q = 0; q < 4; q++) gTheta[q] += dz * z[i][2 + k * 6 + q];
                    for (int q = 0; q < 2; q++) gZ[q] += dz * z[i][2 + k * 6 + 4 + q];
                }
            return lp;
        }
    }

    /**
     * one_comp_mm_elim_abs: one compartment, first-order absorption, Michaelis–Menten elimination,
     * dC/dt = exp(−k_a t) D k_a / V − (V_m/V) C/(K_m + C), C(t0) = 0; C_hat ~ lognormal(log C, sigma);
     * cauchy(0, 1) priors. The model's dose is 0 at t = 0 exactly; a solver integrates over (t0, t]
     * where the dose is on, so RK4's stage at t0 uses the limit from the right.
     */
    static final class OneComp extends StanModel {
        static final double STEP = 0.05;
        private final double t0, dose, volume;
        private final double[] times, cHat;

        OneComp(String posterior) {
            super(posterior);
            StanData d = StanData.load(posterior);
            t0 = d.real("t0");
            dose = d.real("D");
            volume = d.real("V");
            int n = d.integer("N_t", 1);
            times = d.vector("times", n);
            cHat = d.vector("C_hat", n, 0);
            if (t0 != 0) throw new IllegalArgumentException("posteriordb " + posterior + ": the model's dose term assumes t0 = 0, data has t0 = " + t0);
            real("k_a", Constraint.lower(0));
            real("K_m", Constraint.lower(0));
            real("V_m", Constraint.lower(0));
            real("sigma", Constraint.lower(0));
        }

        Var[] solve(Params p) {
            Var ka = p.scalar("k_a"), km = p.scalar("K_m"), vm = p.scalar("V_m");
            Var rate = scale(ka, dose / volume), vmv = scale(vm, 1 / volume);
            Rhs f = (t, c) -> new Var[] {sub(mul(exp(scale(ka, -t)), rate), div(mul(vmv, c[0]), add(km, c[0])))};
            Var[][] c = integrate(f, new Var[] {zerosLike(ka)}, t0, times, STEP);
            Var[] out = new Var[c.length];
            for (int i = 0; i < c.length; i++) out[i] = c[i][0];
            return out;
        }

        @Override protected Var model(Params p) {
            Var[] c = solve(p);
            Var sigma = p.scalar("sigma");
            Var lp = null;
            for (int i = 0; i < times.length; i++) {
                Var li = lognormalLpdf(num(sigma, cHat[i]), log(c[i]), sigma);
                lp = lp == null ? li : add(lp, li);
            }
            for (String s : new String[] {"k_a", "K_m", "V_m", "sigma"}) lp = add(lp, cauchyLpdf(p.scalar(s), 0, 1));
            return lp;
        }

        @Override protected PointModel pointModel() { return this::point; }

        /** The solve with its sensitivities to k_a, K_m, V_m ({@link #solvePoint}), then the likelihood. */
        private double point(Map<String, double[]> v, Map<String, double[]> g) {
            double ka = v.get("k_a")[0], km = v.get("K_m")[0], vm = v.get("V_m")[0], sigma = v.get("sigma")[0];
            double rate = ka * (dose / volume), vmv = vm * (1 / volume);
            PointRhs f = (t, c, dc, jc, jp) -> {
                double decay = Math.exp(ka * -t), denom = km + c[0];
                dc[0] = decay * rate - vmv * c[0] / denom;
                jc[0] = -vmv * km / (denom * denom);
                jp[0] = decay * (dose / volume) * (1 - ka * t);
                jp[1] = vmv * c[0] / (denom * denom);
                jp[2] = -c[0] / (volume * denom);
            };
            double[][] c = solvePoint(f, 1, 3, new double[1], new double[3], t0, times, STEP);
            double lp = 0, gKa = 0, gKm = 0, gVm = 0, gSigma = 0;
            for (int i = 0; i < times.length; i++) {
                double lc = Math.log(c[i][0]), ly = Math.log(cHat[i]);
                lp += PointMath.normal(ly, lc, sigma) - ly;
                gSigma += PointMath.normalDsigma(ly, lc, sigma);
                double dc = -PointMath.normalDy(ly, lc, sigma) / c[i][0];
                gKa += dc * c[i][1];
                gKm += dc * c[i][2];
                gVm += dc * c[i][3];
            }
            double[] x = {ka, km, vm, sigma}, gx = {gKa, gKm, gVm, gSigma};
            String[] names = {"k_a", "K_m", "V_m", "sigma"};
            for (int q = 0; q < 4; q++) {
                lp += PointMath.cauchy(x[q], 0, 1);
                g.get(names[q])[0] = gx[q] + PointMath.cauchyDy(x[q], 0, 1);
            }
            return lp;
        }
    }

    /** An ODE's right-hand side at one point with its Jacobians: f (s), ∂f/∂y (s×s) and ∂f/∂p (s×m), row-major. */
    @FunctionalInterface
    interface PointRhs { void apply(double t, double[] y, double[] f, double[] jy, double[] jp); }

    /**
     * {@link StanMath#integrate}'s solve of one point (the same steps, {@link StanMath#step}), with the
     * sensitivities S = ∂y/∂p (s×m, from s0) integrated by the same RK4 steps on the variational
     * equations dS/dt = ∂f/∂y S + ∂f/∂p: for an explicit Runge–Kutta method on given steps this is
     * exactly the derivative of the discrete solution. Returns per output time y (s) then S (s×m).
     */
    static double[][] solvePoint(PointRhs f, int s, int m, double[] y0, double[] s0, double t0, double[] ts, double hMax) {
        int w = s + s * m;
        double[] y = new double[w], k1 = new double[w], k2 = new double[w], k3 = new double[w], k4 = new double[w], tmp = new double[w];
        System.arraycopy(y0, 0, y, 0, s);
        System.arraycopy(s0, 0, y, s, s * m);
        double[] jy = new double[s * s], jp = new double[s * m];
        double[][] out = new double[ts.length][];
        double t = t0;
        for (int i = 0; i < ts.length; i++) {
            double tEnd = ts[i], hBase = StanMath.baseStep(t0, t, tEnd, hMax);
            for (int st = 0; st < StanMath.MAX_STEPS && t < tEnd; st++) {
                variational(f, t, y, k1, s, m, jy, jp);
                double rate = 0;
                for (int j = 0; j < s; j++) if (y[j] != 0) rate = Math.max(rate, Math.abs(k1[j] / y[j]));
                double h = StanMath.step(rate, hBase, t, tEnd);
                for (int j = 0; j < w; j++) tmp[j] = y[j] + k1[j] * (h / 2);
                variational(f, t + h / 2, tmp, k2, s, m, jy, jp);
                for (int j = 0; j < w; j++) tmp[j] = y[j] + k2[j] * (h / 2);
                variational(f, t + h / 2, tmp, k3, s, m, jy, jp);
                for (int j = 0; j < w; j++) tmp[j] = y[j] + k3[j] * h;
                variational(f, t + h, tmp, k4, s, m, jy, jp);
                for (int j = 0; j < w; j++) y[j] = y[j] + ((k1[j] + k4[j]) + (k2[j] + k3[j]) * 2) * (h / 6);
                t += h;
            }
            t = tEnd;
            out[i] = y.clone();
        }
        return out;
    }

    /** The augmented right-hand side (f, ∂f/∂y S + ∂f/∂p) at state y = (y, S). */
    private static void variational(PointRhs f, double t, double[] y, double[] out, int s, int m, double[] jy, double[] jp) {
        f.apply(t, y, out, jy, jp);
        for (int i = 0; i < s; i++)
            for (int q = 0; q < m; q++) {
                double d = jp[i * m + q];
                for (int j = 0; j < s; j++) d += jy[i * s + j] * y[s + j * m + q];
                out[s + i * m + q] = d;
            }
    }
}
