package sivi.posteriordb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import sivi.data.Json;

/**
 * Test oracle: each model's log density (constrained parameters, without the Jacobian) written
 * straight from its model.stan as plain double loops, independent of the ports' ops; data read
 * from the bundled data.json with the JSON reader only.
 */
final class StanDoubles {
    private StanDoubles() {}

    /** A model's log density at one draw given as Stan-named outputs, and its free constrained coordinates. */
    record Eval(double lp, double[] free) {}

    interface Model { Eval at(Map<String, double[]> v); }

    static Map<String, Object> data(String posterior) {
        try (InputStream in = StanDoubles.class.getResourceAsStream("/sivi/posteriordb/" + posterior + "/data.json")) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return m;
        } catch (IOException e) { throw new IllegalStateException(e); }
    }

    static double[] vec(Map<String, Object> d, String k) {
        List<?> l = (List<?>) d.get(k);
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) v[i] = ((Number) l.get(i)).doubleValue();
        return v;
    }

    static double[][] mat(Map<String, Object> d, String k) {
        List<?> l = (List<?>) d.get(k);
        double[][] m = new double[l.size()][];
        for (int i = 0; i < m.length; i++) {
            List<?> r = (List<?>) l.get(i);
            m[i] = new double[r.size()];
            for (int j = 0; j < r.size(); j++) m[i][j] = ((Number) r.get(j)).doubleValue();
        }
        return m;
    }

    static double num(Map<String, Object> d, String k) { return ((Number) d.get(k)).doubleValue(); }

    static double normal(double y, double mu, double s) { double z = (y - mu) / s; return -0.5 * z * z - Math.log(s) - 0.5 * Math.log(2 * Math.PI); }

    static double cauchy(double y, double mu, double s) { double z = (y - mu) / s; return -Math.log(Math.PI * s * (1 + z * z)); }

    static double lognormal(double y, double mu, double s) { return normal(Math.log(y), mu, s) - Math.log(y); }

    /** log Γ by the reflection-free Lanczos-free route: Σ log k for integers, else Stirling after a shift (test values are small). */
    static double lgamma(double x) {
        double acc = 0;
        while (x < 30) { acc -= Math.log(x); x++; }
        return acc + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }

    static double studentT(double y, double nu, double mu, double s) {
        double z = (y - mu) / s;
        return lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(s) - (nu + 1) / 2 * Math.log(1 + z * z / nu);
    }

    static double logSumExp(double a, double b) { double m = Math.max(a, b); return m + Math.log(Math.exp(a - m) + Math.exp(b - m)); }

    static double s(Map<String, double[]> v, String k) { return v.get(k)[0]; }

    static double[] cat(double[]... parts) {
        int n = 0;
        for (double[] p : parts) n += p.length;
        double[] r = new double[n];
        int o = 0;
        for (double[] p : parts) { System.arraycopy(p, 0, r, o, p.length); o += p.length; }
        return r;
    }

    /** y ~ normal(X·beta, sigma) summed, X given by rows. */
    static double regression(double[] y, double[][] x, double[] beta, double sigma) {
        double lp = 0;
        for (int i = 0; i < y.length; i++) {
            double mu = 0;
            for (int j = 0; j < beta.length; j++) mu += x[i][j] * beta[j];
            lp += normal(y[i], mu, sigma);
        }
        return lp;
    }

    static Model arK() {
        Map<String, Object> d = data("arK-arK");
        int k = (int) num(d, "K");
        double[] y = vec(d, "y");
        return v -> {
            double alpha = s(v, "alpha"), sigma = s(v, "sigma");
            double[] beta = v.get("beta");
            double lp = normal(alpha, 0, 10) + cauchy(sigma, 0, 2.5);
            for (double b : beta) lp += normal(b, 0, 10);
            for (int t = k; t < y.length; t++) {
                double mu = alpha;
                for (int j = 0; j < k; j++) mu += beta[j] * y[t - j - 1];
                lp += normal(y[t], mu, sigma);
            }
            return new Eval(lp, cat(v.get("alpha"), beta, v.get("sigma")));
        };
    }

    static Model arma() {
        double[] y = vec(data("arma-arma11"), "y");
        return v -> {
            double mu = s(v, "mu"), phi = s(v, "phi"), theta = s(v, "theta"), sigma = s(v, "sigma");
            double lp = normal(mu, 0, 10) + normal(phi, 0, 2) + normal(theta, 0, 2) + cauchy(sigma, 0, 2.5);
            double nu = mu + phi * mu, err = y[0] - nu;
            lp += normal(err, 0, sigma);
            for (int t = 1; t < y.length; t++) {
                nu = mu + phi * y[t - 1] + theta * err;
                err = y[t] - nu;
                lp += normal(err, 0, sigma);
            }
            return new Eval(lp, new double[] {mu, phi, theta, sigma});
        };
    }

    static Model garch() {
        Map<String, Object> d = data("garch-garch11");
        double[] y = vec(d, "y");
        double sigma1 = num(d, "sigma1");
        return v -> {
            double mu = s(v, "mu"), a0 = s(v, "alpha0"), a1 = s(v, "alpha1"), b1 = s(v, "beta1");
            double sigma = sigma1, lp = normal(y[0], mu, sigma);
            for (int t = 1; t < y.length; t++) {
                sigma = Math.sqrt(a0 + a1 * (y[t - 1] - mu) * (y[t - 1] - mu) + b1 * sigma * sigma);
                lp += normal(y[t], mu, sigma);
            }
            return new Eval(lp, new double[] {mu, a0, a1, b1});
        };
    }

    static Model hmm(String posterior, boolean normalEmission) {
        Map<String, Object> d = data(posterior);
        double[] u = vec(d, "u"), w = vec(d, "v");
        double[][] alpha = mat(d, "alpha");
        double tau = normalEmission ? num(d, "tau") : 0, rho = normalEmission ? num(d, "rho") : 0;
        return v -> {
            double[][] theta = {v.get("theta1"), v.get("theta2")};
            double[] phi = v.get("phi"), lambda = v.get("lambda");
            double lp = 0;
            for (int k = 0; k < 2; k++) {   // dirichlet_lpdf
                double sa = 0;
                for (int j = 0; j < 2; j++) { sa += alpha[k][j]; lp += (alpha[k][j] - 1) * Math.log(theta[k][j]) - lgamma(alpha[k][j]); }
                lp += lgamma(sa);
            }
            lp += normal(phi[0], 0, 1) + normal(phi[1], 3, 1) + normal(lambda[0], 0, 1) + normal(lambda[1], 3, 1);
            double[] gamma = new double[2];
            for (int t = 0; t < u.length; t++) {
                double[] next = new double[2];
                for (int k = 0; k < 2; k++) {
                    double e = normalEmission ? normal(u[t], phi[k], tau) + normal(w[t], lambda[k], rho)
                            : Math.log(phi[k]) - phi[k] * u[t] + Math.log(lambda[k]) - lambda[k] * w[t];
                    next[k] = t == 0 ? e : logSumExp(gamma[0] + Math.log(theta[0][k]), gamma[1] + Math.log(theta[1][k])) + e;
                }
                gamma = next;
            }
            lp += logSumExp(gamma[0], gamma[1]);
            return new Eval(lp, new double[] {theta[0][0], theta[1][0], phi[0], phi[1], lambda[0], lambda[1]});
        };
    }

    static Model hmmExample() {
        double[] y = vec(data("hmm_example-hmm_example"), "y");
        return v -> {
            double[][] theta = {v.get("theta1"), v.get("theta2")};
            double[] mu = v.get("mu");
            double lp = normal(mu[0], 3, 1) + normal(mu[1], 10, 1);
            double[] gamma = new double[2];
            for (int t = 0; t < y.length; t++) {
                double[] next = new double[2];
                for (int k = 0; k < 2; k++) {
                    double e = normal(y[t], mu[k], 1);
                    next[k] = t == 0 ? e : logSumExp(gamma[0] + Math.log(theta[0][k]), gamma[1] + Math.log(theta[1][k])) + e;
                }
                gamma = next;
            }
            lp += logSumExp(gamma[0], gamma[1]);
            return new Eval(lp, new double[] {theta[0][0], theta[1][0], mu[0], mu[1]});
        };
    }

    static Model gpPoisRegr() {
        Map<String, Object> d = data("gp_pois_regr-gp_pois_regr");
        double[] x = vec(d, "x"), k = vec(d, "k");
        int n = x.length;
        return v -> {
            double rho = s(v, "rho"), alpha = s(v, "alpha");
            double[] f = v.get("f");
            // f_tilde = L⁻¹ f with L the Cholesky factor (Cholesky–Crout, column by column)
            double[][] l = new double[n][n];
            for (int j = 0; j < n; j++) {
                double s = alpha * alpha + 1e-10;
                for (int m = 0; m < j; m++) s -= l[j][m] * l[j][m];
                l[j][j] = Math.sqrt(s);
                for (int i = j + 1; i < n; i++) {
                    double c = alpha * alpha * Math.exp(-(x[i] - x[j]) * (x[i] - x[j]) / (2 * rho * rho));
                    for (int m = 0; m < j; m++) c -= l[i][m] * l[j][m];
                    l[i][j] = c / l[j][j];
                }
            }
            double[] ft = new double[n];
            double lp = 25 * Math.log(4) - lgamma(25) + 24 * Math.log(rho) - 4 * rho + normal(alpha, 0, 2);
            for (int i = 0; i < n; i++) {
                double s = f[i];
                for (int j = 0; j < i; j++) s -= l[i][j] * ft[j];
                ft[i] = s / l[i][i];
                lp += normal(ft[i], 0, 1) + k[i] * f[i] - Math.exp(f[i]) - lgamma(k[i] + 1);
            }
            return new Eval(lp, cat(new double[] {rho, alpha}, ft));
        };
    }

    static Model diamonds() {
        Map<String, Object> d = data("diamonds-diamonds");
        double[] y = vec(d, "Y");
        double[][] x = mat(d, "X");
        int k = x[0].length;
        double[] means = new double[k];
        for (double[] r : x) for (int j = 1; j < k; j++) means[j] += r[j] / x.length;
        return v -> {
            double[] b = v.get("b");
            double icpt = s(v, "Intercept"), sigma = s(v, "sigma");
            double lp = studentT(icpt, 3, 8, 10) + studentT(sigma, 3, 0, 10) + Math.log(2);
            for (double bj : b) lp += normal(bj, 0, 1);
            for (int i = 0; i < y.length; i++) {
                double mu = icpt;
                for (int j = 1; j < k; j++) mu += (x[i][j] - means[j]) * b[j - 1];
                lp += normal(y[i], mu, sigma);
            }
            return new Eval(lp, cat(b, v.get("Intercept"), v.get("sigma")));
        };
    }

    static Model eightSchools() {
        Map<String, Object> d = data("eight_schools-eight_schools_noncentered");
        double[] y = vec(d, "y"), sd = vec(d, "sigma");
        return v -> {
            double[] theta = v.get("theta");
            double mu = s(v, "mu"), tau = s(v, "tau");
            double[] tt = new double[theta.length];
            double lp = normal(mu, 0, 5) + cauchy(tau, 0, 5);
            for (int j = 0; j < theta.length; j++) {
                tt[j] = (theta[j] - mu) / tau;
                lp += normal(tt[j], 0, 1) + normal(y[j], theta[j], sd[j]);
            }
            return new Eval(lp, cat(tt, new double[] {mu, tau}));
        };
    }

    static Model gpRegr() {
        Map<String, Object> d = data("gp_pois_regr-gp_regr");
        double[] x = vec(d, "x"), y = vec(d, "y");
        int n = x.length;
        return v -> {
            double rho = s(v, "rho"), alpha = s(v, "alpha"), sigma = s(v, "sigma");
            double[][] c = new double[n][n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    c[i][j] = alpha * alpha * Math.exp(-(x[i] - x[j]) * (x[i] - x[j]) / (2 * rho * rho)) + (i == j ? sigma : 0);
            // log N(y | 0, C) by Gaussian elimination: log det from the pivots, the quadratic form from the solve
            double[][] a = new double[n][];
            for (int i = 0; i < n; i++) a[i] = c[i].clone();
            double[] b = y.clone();
            double logdet = 0;
            for (int p = 0; p < n; p++) {
                logdet += Math.log(a[p][p]);
                for (int i = p + 1; i < n; i++) {
                    double f = a[i][p] / a[p][p];
                    for (int j = p; j < n; j++) a[i][j] -= f * a[p][j];
                    b[i] -= f * b[p];
                }
            }
            double[] z = new double[n];
            for (int i = n - 1; i >= 0; i--) {
                double s = b[i];
                for (int j = i + 1; j < n; j++) s -= a[i][j] * z[j];
                z[i] = s / a[i][i];
            }
            double q = 0;
            for (int i = 0; i < n; i++) q += y[i] * z[i];
            double lp = -0.5 * q - 0.5 * logdet - n * 0.5 * Math.log(2 * Math.PI);
            lp += 25 * Math.log(4) - lgamma(25) + 24 * Math.log(rho) - 4 * rho + normal(alpha, 0, 2) + normal(sigma, 0, 1);
            return new Eval(lp, new double[] {rho, alpha, sigma});
        };
    }

    static Model gaussMix() {
        double[] y = vec(data("low_dim_gauss_mix-low_dim_gauss_mix"), "y");
        return v -> {
            double[] mu = v.get("mu"), sigma = v.get("sigma");
            double theta = s(v, "theta");
            double lp = normal(sigma[0], 0, 2) + normal(sigma[1], 0, 2) + normal(mu[0], 0, 2) + normal(mu[1], 0, 2)
                    + 4 * Math.log(theta) + 4 * Math.log(1 - theta) + lgamma(10) - 2 * lgamma(5);
            for (double yi : y) lp += logSumExp(Math.log(theta) + normal(yi, mu[0], sigma[0]), Math.log(1 - theta) + normal(yi, mu[1], sigma[1]));
            return new Eval(lp, cat(mu, sigma, new double[] {theta}));
        };
    }

    /** RK4 with a fine fixed step in plain doubles: the test's own ODE solution. */
    interface Rhs { double[] f(double t, double[] y); }

    static double[][] solve(Rhs f, double[] y0, double t0, double[] ts, double h) {
        double[][] out = new double[ts.length][];
        double[] y = y0.clone();
        double t = t0;
        for (int i = 0; i < ts.length; i++) {
            int steps = (int) Math.ceil((ts[i] - t) / h);
            double hh = (ts[i] - t) / steps;
            for (int s = 0; s < steps; s++) {
                double tt = t + s * hh;
                double[] k1 = f.f(tt, y), k2 = f.f(tt + hh / 2, axpy(hh / 2, k1, y)), k3 = f.f(tt + hh / 2, axpy(hh / 2, k2, y)), k4 = f.f(tt + hh, axpy(hh, k3, y));
                for (int j = 0; j < y.length; j++) y[j] += hh / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
            }
            t = ts[i];
            out[i] = y.clone();
        }
        return out;
    }

    static double[] axpy(double a, double[] x, double[] y) {
        double[] r = new double[y.length];
        for (int i = 0; i < y.length; i++) r[i] = a * x[i] + y[i];
        return r;
    }

    static Model lotkaVolterra(double h) {
        Map<String, Object> d = data("hudson_lynx_hare-lotka_volterra");
        double[] ts = vec(d, "ts"), yInit = vec(d, "y_init");
        double[][] y = mat(d, "y");
        return v -> {
            double[] th = v.get("theta"), z0 = v.get("z_init"), sg = v.get("sigma");
            double[][] z = solve((t, s) -> new double[] {(th[0] - th[1] * s[1]) * s[0], (-th[2] + th[3] * s[0]) * s[1]}, z0, 0, ts, h);
            double lp = normal(th[0], 1, 0.5) + normal(th[2], 1, 0.5) + normal(th[1], 0.05, 0.05) + normal(th[3], 0.05, 0.05);
            for (int k = 0; k < 2; k++) {
                lp += lognormal(sg[k], -1, 1) + lognormal(z0[k], Math.log(10), 1) + lognormal(yInit[k], Math.log(z0[k]), sg[k]);
                for (int i = 0; i < ts.length; i++) lp += lognormal(y[i][k], Math.log(z[i][k]), sg[k]);
            }
            return new Eval(lp, cat(th, z0, sg));
        };
    }

    static Model oneComp(double h) {
        Map<String, Object> d = data("one_comp_mm_elim_abs-one_comp_mm_elim_abs");
        double dose = num(d, "D"), vol = num(d, "V");
        double[] times = vec(d, "times"), cHat = vec(d, "C_hat");
        return v -> {
            double ka = s(v, "k_a"), km = s(v, "K_m"), vm = s(v, "V_m"), sigma = s(v, "sigma");
            // the dose is on over (0, t]: its limit from the right at t = 0
            double[][] c = solve((t, y) -> new double[] {Math.exp(-ka * t) * dose * ka / vol - vm / vol * y[0] / (km + y[0])}, new double[] {0}, 0, times, h);
            double lp = cauchy(ka, 0, 1) + cauchy(km, 0, 1) + cauchy(vm, 0, 1) + cauchy(sigma, 0, 1);
            for (int i = 0; i < times.length; i++) lp += lognormal(cHat[i], Math.log(c[i][0]), sigma);
            return new Eval(lp, new double[] {ka, km, vm, sigma});
        };
    }

    static Model blr(String posterior) {
        Map<String, Object> d = data(posterior);
        double[] y = vec(d, "y");
        double[][] x = mat(d, "X");
        return v -> {
            double[] beta = v.get("beta");
            double sigma = s(v, "sigma"), lp = normal(sigma, 0, 10) + regression(y, x, beta, sigma);
            for (double b : beta) lp += normal(b, 0, 10);
            return new Eval(lp, cat(beta, v.get("sigma")));
        };
    }

    /** A flat-prior (or cauchy-on-sigma) regression with the response and columns the model's transformed data builds. */
    static Model linear(double[] y, double[][] cols, boolean cauchySigma) {
        double[][] x = new double[y.length][cols.length + 1];
        for (int i = 0; i < y.length; i++) { x[i][0] = 1; for (int j = 0; j < cols.length; j++) x[i][j + 1] = cols[j][i]; }
        return v -> {
            double sigma = s(v, "sigma");
            double lp = regression(y, x, v.get("beta"), sigma) + (cauchySigma ? cauchy(sigma, 0, 2.5) : 0);
            return new Eval(lp, cat(v.get("beta"), v.get("sigma")));
        };
    }

    static Model nes(String posterior) {
        Map<String, Object> d = data(posterior);
        double[] age = vec(d, "age_discrete");
        double[][] ind = new double[3][age.length];
        for (int i = 0; i < age.length; i++) for (int a = 0; a < 3; a++) ind[a][i] = age[i] == a + 2 ? 1 : 0;
        return linear(vec(d, "partyid7"), new double[][] {vec(d, "real_ideo"), vec(d, "race_adj"), ind[0], ind[1], ind[2], vec(d, "educ1"), vec(d, "gender"), vec(d, "income")}, false);
    }

    static Model earningsInteraction() {
        Map<String, Object> d = data("earnings-logearn_interaction");
        double[] earn = vec(d, "earn"), h = vec(d, "height"), m = vec(d, "male"), le = new double[earn.length], in = new double[earn.length];
        for (int i = 0; i < earn.length; i++) { le[i] = Math.log(earn[i]); in[i] = h[i] * m[i]; }
        return linear(le, new double[][] {h, m, in}, false);
    }

    static Model kidiqInteractionZ() {
        Map<String, Object> d = data("kidiq_with_mom_work-kidscore_interaction_z");
        double[] hs = vec(d, "mom_hs"), iq = vec(d, "mom_iq");
        int n = hs.length;
        double mh = 0, mi = 0, vh = 0, vi = 0;
        for (int i = 0; i < n; i++) { mh += hs[i] / n; mi += iq[i] / n; }
        for (int i = 0; i < n; i++) { vh += (hs[i] - mh) * (hs[i] - mh) / (n - 1); vi += (iq[i] - mi) * (iq[i] - mi) / (n - 1); }
        double[] a = new double[n], b = new double[n], ab = new double[n];
        for (int i = 0; i < n; i++) { a[i] = (hs[i] - mh) / (2 * Math.sqrt(vh)); b[i] = (iq[i] - mi) / (2 * Math.sqrt(vi)); ab[i] = a[i] * b[i]; }
        return linear(vec(d, "kid_score"), new double[][] {a, b, ab}, false);
    }

    static Model kidiqMomhs() {
        Map<String, Object> d = data("kidiq-kidscore_momhs");
        return linear(vec(d, "kid_score"), new double[][] {vec(d, "mom_hs")}, true);
    }

    static Model mesquiteLogvas() {
        Map<String, Object> d = data("mesquite-logmesquite_logvas");
        double[] d1 = vec(d, "diam1"), d2 = vec(d, "diam2"), ch = vec(d, "canopy_height"), th = vec(d, "total_height"), den = vec(d, "density"), w = vec(d, "weight");
        int n = w.length;
        double[][] c = new double[6][n];
        double[] lw = new double[n];
        for (int i = 0; i < n; i++) {
            lw[i] = Math.log(w[i]);
            c[0][i] = Math.log(d1[i] * d2[i] * ch[i]); c[1][i] = Math.log(d1[i] * d2[i]); c[2][i] = Math.log(d1[i] / d2[i]);
            c[3][i] = Math.log(th[i]); c[4][i] = Math.log(den[i]);
        }
        c[5] = vec(d, "group");
        return linear(lw, c, false);
    }

    static Model kilpisjarvi() {
        Map<String, Object> d = data("kilpisjarvi_mod-kilpisjarvi");
        double[] x = vec(d, "x"), y = vec(d, "y");
        return v -> {
            double a = s(v, "alpha"), b = s(v, "beta"), sigma = s(v, "sigma");
            double lp = normal(a, num(d, "pmualpha"), num(d, "psalpha")) + normal(b, num(d, "pmubeta"), num(d, "psbeta"));
            for (int i = 0; i < x.length; i++) lp += normal(y[i], a + b * x[i], sigma);
            return new Eval(lp, new double[] {a, b, sigma});
        };
    }

    /** The posteriors with an oracle here (the others share a port with one of these). */
    static Map<String, Model> all() {
        Map<String, Model> m = new java.util.LinkedHashMap<>();
        m.put("arK-arK", arK());
        m.put("arma-arma11", arma());
        m.put("garch-garch11", garch());
        m.put("bball_drive_event_0-hmm_drive_0", hmm("bball_drive_event_0-hmm_drive_0", false));
        m.put("bball_drive_event_1-hmm_drive_1", hmm("bball_drive_event_1-hmm_drive_1", true));
        m.put("hmm_example-hmm_example", hmmExample());
        m.put("gp_pois_regr-gp_pois_regr", gpPoisRegr());
        m.put("diamonds-diamonds", diamonds());
        m.put("eight_schools-eight_schools_noncentered", eightSchools());
        m.put("gp_pois_regr-gp_regr", gpRegr());
        m.put("low_dim_gauss_mix-low_dim_gauss_mix", gaussMix());
        m.put("hudson_lynx_hare-lotka_volterra", lotkaVolterra(Ode.LotkaVolterra.STEP));
        m.put("one_comp_mm_elim_abs-one_comp_mm_elim_abs", oneComp(Ode.OneComp.STEP));
        m.put("sblrc-blr", blr("sblrc-blr"));
        m.put("sblri-blr", blr("sblri-blr"));
        m.put("nes2000-nes", nes("nes2000-nes"));
        m.put("nes1972-nes", nes("nes1972-nes"));
        m.put("earnings-logearn_interaction", earningsInteraction());
        m.put("kidiq_with_mom_work-kidscore_interaction_z", kidiqInteractionZ());
        m.put("kidiq-kidscore_momhs", kidiqMomhs());
        m.put("mesquite-logmesquite_logvas", mesquiteLogvas());
        m.put("kilpisjarvi_mod-kilpisjarvi", kilpisjarvi());
        return m;
    }
}
