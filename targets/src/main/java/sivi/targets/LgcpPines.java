package sivi.targets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sivi.autodiff.Var;
import sivi.data.Csv;
import sivi.data.DataException;
import sivi.data.Table;
import sivi.kernels.Backend;
import sivi.kernels.Binary;
import sivi.kernels.Kernels;
import sivi.kernels.Unary;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Log-Gaussian Cox process on the Finnish pines (Møller, Syversveen &amp; Waagepetersen 1998; the
 * set-up of Girolami &amp; Calderhead 2011 and Heng et al.; docs/targets.md#lgcp-pines). The 126 points in
 * [−5, 5] × [−8, 2] m are mapped to the unit square by ((x+5)/10, (y+8)/10) and counted on an M×M
 * grid (n_m for cell m = (row, column), row = ⌊M·y'⌋, column = ⌊M·x'⌋). The latent field f ∈ R^d,
 * d = M², has prior N(μ1, K) with K_mn = σ² exp(−‖g_m − g_n‖/(Mβ)), g the integer cell indices,
 * σ² = 1.91, β = 1/33, μ = log 126 − σ²/2, and likelihood Σ_m (f_m n_m − a e^{f_m}), a = 1/d.
 *
 * <p>The target is the whitened field: f = μ1 + L z with K = L Lᵀ (Cholesky, computed once per M
 * and cached), so z has prior N(0, I):
 * <pre>
 *   log p(z) = −½‖z‖² + Σ_m (f_m n_m − a e^{f_m})        (unnormalised)
 *   ∇ log p(z) = −z + Lᵀ(n − a e^f)                       (rows: −Z + (n − a e^F) L)
 *   H(z) v    = −v − Lᵀ diag(a e^f) L v                   (rows: −V − (a e^F ∘ (V Lᵀ)) L)
 * </pre>
 * Batched over N rows with F = μ + Z Lᵀ (one GEMM).
 */
public final class LgcpPines implements Target {
    public static final double SIGMA2 = 1.91, BETA = 1.0 / 33, MU = Math.log(126) - SIGMA2 / 2;

    private record Grid(double[] counts, Tensor chol) {}

    private static final Map<Integer, Grid> GRIDS = new ConcurrentHashMap<>();

    private final int m;
    private volatile Grid grid;

    public LgcpPines(int m) {
        if (m < 1) throw new IllegalArgumentException("grid size must be positive, got " + m);
        this.m = m;
    }

    private Grid grid() {
        Grid g = grid;
        if (g == null) grid = g = GRIDS.computeIfAbsent(m, LgcpPines::build);
        return g;
    }

    private static Grid build(int m) {
        int d = m * m;
        double[] k = new double[d * d];
        for (int p = 0; p < d; p++)
            for (int q = 0; q < d; q++) {
                double dr = p / m - q / m, dc = p % m - q % m;
                k[p * d + q] = SIGMA2 * Math.exp(-Math.sqrt(dr * dr + dc * dc) / (m * BETA));
            }
        return new Grid(counts(m), Tensor.wrap(Linalg.cholesky(k, d), d, d));
    }

    /** Counts n_m of the shipped finpines points on the M×M grid, index row·M + column. */
    static double[] counts(int m) {
        Table t = Csv.read("sivi/data/finpines.csv");
        double[] xs = t.column("x"), ys = t.column("y");
        double[] n = new double[m * m];
        for (int i = 0; i < xs.length; i++) {
            double u = (xs[i] + 5) / 10, v = (ys[i] + 8) / 10;
            if (!(u > 0 && u < 1 && v > 0 && v < 1)) throw new DataException(t.source() + ": point " + (i + 1) + " (" + xs[i] + ", " + ys[i] + ") is outside the window [-5,5]x[-8,2]");
            n[(int) (v * m) * m + (int) (u * m)]++;
        }
        return n;
    }

    /** The cell counts n (length d). */
    public double[] counts() { return grid().counts().clone(); }

    public int gridSize() { return m; }

    /** The field f = μ + L z for a whitened vector z (length d). */
    public double[] field(double[] z) {
        double[] l = grid().chol().doubleStorage();
        int d = dim();
        double[] f = new double[d];
        for (int i = 0; i < d; i++) {
            double s = MU;
            for (int j = 0; j <= i; j++) s += l[i * d + j] * z[j];
            f[i] = s;
        }
        return f;
    }

    @Override public String name() { return m == 40 ? "lgcp-pines" : "lgcp-pines-" + m; }
    @Override public int dim() { return m * m; }
    @Override public boolean isNormalised() { return false; }

    @Override public List<String> names() {
        List<String> out = new ArrayList<>(dim());
        for (int r = 0; r < m; r++) for (int c = 0; c < m; c++) out.add("z[" + r + "," + c + "]");
        return out;
    }

    @Override public Var logDensity(Var z) {
        DType dt = z.dtype();
        Grid g = grid();
        Var f = addScalar(matmul(z, constant(g.chol().cast(dt)), false, true), MU);
        Var like = sub(matmul(f, constant(Tensor.of(dt, g.counts(), dim(), 1))), scale(sum(exp(f), 1, true), 1.0 / dim()));
        return add(reshape(like, z.dim(0)), scale(sum(square(z), 1, false), -0.5));
    }

    @Override public Tensor scoreValue(Tensor z) {
        Backend k = Kernels.current();
        Tensor l = grid().chol().cast(z.dtype());
        Tensor ef = k.unary(Unary.EXP, k.affine(k.matmul(z, l, false, true), 1, MU));
        Tensor resid = k.binary(Binary.SUB, Tensor.of(z.dtype(), grid().counts(), 1, dim()), k.affine(ef, 1.0 / dim(), 0));
        return k.binary(Binary.SUB, k.matmul(resid, l, false, false), z);
    }

    @Override public Tensor hvpValue(Tensor z, Tensor v) {
        Backend k = Kernels.current();
        Tensor l = grid().chol().cast(z.dtype());
        Tensor aef = k.affine(k.unary(Unary.EXP, k.affine(k.matmul(z, l, false, true), 1, MU)), 1.0 / dim(), 0);
        Tensor w = k.binary(Binary.MUL, aef, k.matmul(v, l, false, true));
        return k.binary(Binary.SUB, k.affine(k.matmul(w, l, false, false), -1, 0), v);
    }
}
