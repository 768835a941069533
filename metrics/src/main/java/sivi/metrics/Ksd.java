package sivi.metrics;

import java.util.stream.IntStream;

/**
 * Kernel Stein discrepancy of a sample {x_i} from a target p, given the target scores
 * s_i = grad log p(x_i) (Liu, Lee &amp; Jordan 2016, ICML, "A kernelized Stein discrepancy for
 * goodness-of-fit tests"; Chwialkowski, Strathmann &amp; Gretton 2016; Gorham &amp; Mackey 2017 for the IMQ
 * kernel). With a base kernel k and r = x - y, the Stein kernel is
 * <pre>
 *   u(x, y) = s(x).s(y) k + s(x).grad_y k + s(y).grad_x k + trace(grad_x grad_y k)
 * </pre>
 * <ul>
 *   <li>RBF k = exp(-|r|^2 / (2 l^2)): grad_x k = -r k / l^2, grad_y k = r k / l^2,
 *       trace = k (d / l^2 - |r|^2 / l^4); l = median pairwise distance of the sample.</li>
 *   <li>IMQ k = (c^2 + |r|^2)^beta, c = 1, beta = -1/2: grad_x k = 2 beta q^(beta-1) r with
 *       q = c^2 + |r|^2, grad_y k = -grad_x k, trace = -2 beta d q^(beta-1) - 4 beta (beta-1) q^(beta-2) |r|^2.</li>
 * </ul>
 * KSD^2 estimates: U = mean_{i != j} u(x_i, x_j) (unbiased, can be negative), V = mean_{i,j} u
 * (biased, &gt;= 0). The standard error is that of U from the variance of a one-sample U-statistic of
 * degree 2 (Hoeffding 1948; Serfling 1980, 5.2.1):
 * SE^2 = (4(n-2) zeta1 + 2 zeta2) / (n(n-1)), zeta1 = var_i(mean_{j != i} u_ij), zeta2 = var_{i != j}(u_ij).
 * When the sample is from p, zeta1 = 0 and the plug-in zeta1 is biased upward, so the SE is conservative.
 *
 * @param u             the U-statistic KSD^2
 * @param v             the V-statistic KSD^2
 * @param standardError standard error of u
 * @param bandwidth     l for RBF, c for IMQ
 */
public record Ksd(double u, double v, double standardError, double bandwidth) {

    public static Ksd rbf(double[][] x, double[][] scores) {
        double l = Samples.medianDistance(x, new double[0][]);
        double il2 = 1 / (l * l);
        return estimate(x, scores, l, (r2, d) -> {
            double k = Math.exp(-0.5 * r2 * il2);
            // {k, a = coefficient of r in grad_x k (grad_y k = -a r), trace}
            return new double[] {k, -k * il2, k * (d * il2 - r2 * il2 * il2)};
        });
    }

    public static Ksd imq(double[][] x, double[][] scores) {
        final double c = 1, beta = -0.5;
        return estimate(x, scores, c, (r2, d) -> {
            double q = c * c + r2;
            double k = Math.pow(q, beta), qb1 = k / q;
            return new double[] {k, 2 * beta * qb1, -2 * beta * d * qb1 - 4 * beta * (beta - 1) * (qb1 / q) * r2};
        });
    }

    /** Radial base kernel: returns {k, a, trace} with grad_x k = a r, grad_y k = -a r. */
    private interface Radial { double[] of(double r2, int d); }

    private static Ksd estimate(double[][] x, double[][] s, double bandwidth, Radial kernel) {
        int n = x.length, d = Samples.dim(x, "x");
        if (s.length != n || Samples.dim(s, "scores") != d) throw new IllegalArgumentException("scores must have the shape of x");
        if (n < 3) throw new IllegalArgumentException("need at least 3 points");
        double[][] row = new double[n][3]; // {sum_{j != i} u, sum_{j != i} u^2, u_ii}
        IntStream.range(0, n).parallel().forEach(i -> {
            double sum = 0, sq = 0;
            for (int j = 0; j < n; j++) {
                double uij = stein(x[i], x[j], s[i], s[j], kernel);
                if (j == i) { row[i][2] = uij; continue; }
                sum += uij; sq += uij * uij;
            }
            row[i][0] = sum; row[i][1] = sq;
        });
        double sum = 0, sq = 0, diag = 0;
        double[] rowMean = new double[n];
        for (int i = 0; i < n; i++) { sum += row[i][0]; sq += row[i][1]; diag += row[i][2]; rowMean[i] = row[i][0] / (n - 1); }
        double pairs = (double) n * (n - 1);
        double u = sum / pairs, v = (sum + diag) / ((double) n * n);
        double zeta2 = sq / pairs - u * u, zeta1 = Samples.variance(rowMean);
        double se2 = (4.0 * (n - 2) * zeta1 + 2 * zeta2) / pairs;
        return new Ksd(u, v, Math.sqrt(Math.max(0, se2)), bandwidth);
    }

    private static double stein(double[] x, double[] y, double[] sx, double[] sy, Radial kernel) {
        int d = x.length;
        double r2 = 0, sxsy = 0, sxr = 0, syr = 0;
        for (int a = 0; a < d; a++) {
            double r = x[a] - y[a];
            r2 += r * r; sxsy += sx[a] * sy[a]; sxr += sx[a] * r; syr += sy[a] * r;
        }
        double[] k = kernel.of(r2, d);
        // s(x).grad_y k = -a s(x).r ; s(y).grad_x k = a s(y).r
        return sxsy * k[0] - k[1] * sxr + k[1] * syr + k[2];
    }
}
