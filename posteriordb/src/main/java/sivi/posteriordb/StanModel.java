package sivi.posteriordb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * A Stan model ported by hand, as a {@link Target} on Stan's unconstrained space: the port declares
 * its parameter blocks in the order of the Stan {@code parameters} block (each with its constraint,
 * see {@link Constraint}), and writes {@link #model} on the constrained values; the log-Jacobian of
 * the transforms is added here, as Stan does. Outputs ({@link #outputNames}, {@link #constrain}) are
 * posterior.json's dimensions under Stan's names, constrained parameters and transformed
 * parameters, so that draws compare column by column with posteriordb's reference draws.
 *
 * <p>Batched like every target: x is N×dim, each block's value an N×size Var; evaluated in float64
 * whatever the batch's dtype, as Stan does.
 */
public abstract class StanModel implements Target {
    /** One block of the Stan {@code parameters} block. */
    protected record Block(String name, int size, boolean scalar, Constraint constraint, int offset) {
        int free() { return constraint.free(size); }
    }

    /** The constrained parameters (and what a port adds to it) of one batch, and the log-Jacobian. */
    protected static final class Params {
        final Map<String, Var> values = new LinkedHashMap<>();
        Var logJacobian;

        /** The N×size value of a block or transformed parameter. */
        public Var get(String name) {
            Var v = values.get(name);
            if (v == null) throw new IllegalStateException("no parameter '" + name + "'");
            return v;
        }

        /** Element i (0-based) of a block as an N-vector. */
        public Var at(String name, int i) { return reshape(slice(get(name), 1, i, i + 1), -1); }

        /** A scalar parameter as an N-vector. */
        public Var scalar(String name) { return at(name, 0); }

        /** Adds a transformed parameter (N×size) that the outputs may name. */
        public void put(String name, Var value) { values.put(name, value); }
    }

    protected final String posterior;
    private final List<Block> blocks = new ArrayList<>();
    private int dim;
    private final Map<String, Integer> transformedSizes = new LinkedHashMap<>();
    private List<String> outputs;
    private final Map<Object, Tensor> constants = new ConcurrentHashMap<>();

    protected StanModel(String posterior) { this.posterior = posterior; }

    // ---------------------------------------------------------------- declarations (constructor only)

    protected final void real(String name) { block(name, 1, true, Constraint.NONE); }

    protected final void real(String name, Constraint c) { block(name, 1, true, c); }

    protected final void vector(String name, int n) { block(name, n, false, Constraint.NONE); }

    protected final void vector(String name, int n, Constraint c) { block(name, n, false, c); }

    private void block(String name, int size, boolean scalar, Constraint c) {
        if (size < 1) throw new IllegalArgumentException("pdb-" + posterior + ": parameter '" + name + "' has size " + size);
        Block b = new Block(name, size, scalar, c, dim);
        blocks.add(b);
        dim += b.free();
    }

    /** Declares a transformed parameter (filled by {@link #transform}) that the outputs may list. */
    protected final void transformed(String name, int size) { transformedSizes.put(name, size); }

    // ---------------------------------------------------------------- what a port writes

    /** The log density on the constrained values (N), without the Jacobian. */
    protected abstract Var model(Params p);

    /** Adds transformed parameters to p (default: none). */
    protected void transform(Params p) {}

    /**
     * The model's log density at one draw, as {@link #model} computes it, and its gradient with respect to
     * the values {@link #model} reads. {@code values} maps every block and transformed parameter (after
     * {@link #transform}) to its constrained values; {@code grad} has a zeroed array of the same size under
     * each name, to be filled with ∂model/∂value.
     */
    @FunctionalInterface
    protected interface PointModel { double apply(Map<String, double[]> values, Map<String, double[]> grad); }

    /**
     * The port's model written by hand for one draw, or null (the default: {@link #model} on one row). The
     * ports whose model is a long scalar recursion (ARMA, GARCH, the HMMs' forward algorithm, the ODE
     * solves) or one large product (diamonds) have one: on one row every autodiff op costs microseconds of
     * bookkeeping, a gradient milliseconds, and NUTS pays thousands of gradients per draw.
     */
    protected PointModel pointModel() { return null; }

    // ---------------------------------------------------------------- Target

    @Override public String name() { return "pdb-" + posterior; }
    @Override public int dim() { return dim; }
    @Override public boolean isNormalised() { return false; }

    /** Unconstrained coordinates: the block name, with [i] (1-based) and a suffix for the free coordinates of a transformed block. */
    @Override public List<String> names() {
        List<String> n = new ArrayList<>();
        for (Block b : blocks) {
            int f = b.free();
            String base = b.constraint == Constraint.NONE ? b.name : b.constraint.prefix() + "(" + b.name + ")";
            for (int i = 0; i < f; i++) n.add(b.scalar && f == 1 ? base : base + "[" + (i + 1) + "]");
        }
        return n;
    }

    @Override public Var logDensity(Var x) {
        if (x.rank() != 2 || x.dim(1) != dim)
            throw new IllegalArgumentException(name() + ": expected N×" + dim + " draws, got " + java.util.Arrays.toString(x.shape()));
        // Stan computes in double: a batch in float32 is evaluated in float64 and the result cast
        // back (the casts are differentiable), e.g. gp_pois_regr's 1e-10 jitter is below float32's
        // resolution and its Cholesky would fail
        Params p = params(cast(x, DType.F64));
        return cast(add(model(p), p.logJacobian), x.dtype());
    }

    /**
     * One point in one tape: the constraints and their log-Jacobian by autodiff (a few ops), the model
     * by the port's {@link #pointModel} where it has one (its gradient enters the tape as the
     * weights of Σ value·∂model/∂value, whose backward is the chain rule through the transforms),
     * else by {@link #model}.
     */
    @Override public double logDensityAndScore(double[] x, double[] scoreOut) {
        Var xv = Var.leaf(Tensor.of(DType.F64, java.util.Arrays.copyOf(x, dim), 1, dim));
        return GradMode.with(true, () -> {
            Params p = params(xv);
            Var objective;
            double lp;
            PointModel point = pointModel();
            if (point != null) {
                Map<String, double[]> values = new LinkedHashMap<>(), grad = new LinkedHashMap<>();
                for (Map.Entry<String, Var> e : p.values.entrySet()) {
                    double[] v = e.getValue().value().toDoubleArray();
                    values.put(e.getKey(), v);
                    grad.put(e.getKey(), new double[v.length]);
                }
                lp = point.apply(values, grad) + p.logJacobian.value().item();
                objective = p.logJacobian;
                for (Map.Entry<String, double[]> e : grad.entrySet()) {
                    double[] g = e.getValue();
                    if (java.util.Arrays.stream(g).anyMatch(a -> a != 0))
                        objective = add(objective, sum(mul(p.values.get(e.getKey()), constant(Tensor.of(DType.F64, g, 1, g.length))), 1, false));
                }
            } else {
                objective = add(model(p), p.logJacobian);
                lp = objective.value().item();
            }
            if (!Double.isFinite(lp)) {
                java.util.Arrays.fill(scoreOut, 0, dim, Double.NaN);
                return lp;
            }
            double[] g = sivi.autodiff.Autodiff.grad(sum(objective), new Var[] {xv}, null, false)[0].value().toDoubleArray();
            System.arraycopy(g, 0, scoreOut, 0, dim);
            return lp;
        });
    }

    private Params params(Var x) {
        Params p = new Params();
        for (Block b : blocks) {
            Constraint.Result r = b.constraint.apply(slice(x, 1, b.offset, b.offset + b.free()), b.size);
            p.values.put(b.name, r.value());
            if (r.logJacobian() != null) p.logJacobian = p.logJacobian == null ? r.logJacobian() : add(p.logJacobian, r.logJacobian());
        }
        if (p.logJacobian == null) p.logJacobian = constant(Tensor.zeros(x.dtype(), x.dim(0)));
        transform(p);
        return p;
    }

    @Override public List<String> outputNames() {
        if (outputs == null) {
            List<String> o = new ArrayList<>();
            for (Map.Entry<String, Object> e : StanData.dimensions(posterior).entrySet()) {
                int size = ((Number) e.getValue()).intValue(), declared = declaredSize(e.getKey());
                if (size != declared)
                    throw new IllegalStateException(name() + ": posterior.json lists " + e.getKey() + " with " + size + " values, the port " + declared);
                boolean scalar = blocks.stream().anyMatch(b -> b.name.equals(e.getKey()) && b.scalar) || (!isBlock(e.getKey()) && size == 1);
                for (int i = 0; i < size; i++) o.add(scalar ? e.getKey() : e.getKey() + "[" + (i + 1) + "]");
            }
            outputs = List.copyOf(o);
        }
        return outputs;
    }

    private boolean isBlock(String name) { return blocks.stream().anyMatch(b -> b.name.equals(name)); }

    private int declaredSize(String name) {
        for (Block b : blocks) if (b.name.equals(name)) return b.size;
        Integer t = transformedSizes.get(name);
        if (t == null) throw new IllegalStateException(name() + ": posterior.json lists '" + name + "', which the port does not declare");
        return t;
    }

    @Override public Tensor constrain(Tensor x) {
        Tensor x64 = x.cast(DType.F64);
        return GradMode.noGrad(() -> {
            Params p = params(constant(x64));
            List<Var> cols = new ArrayList<>();
            for (String k : StanData.dimensions(posterior).keySet()) cols.add(p.get(k));
            return concat(1, cols.toArray(Var[]::new)).value().cast(x.dtype());
        });
    }

    /**
     * Outputs back to the unconstrained space: each block read from its output columns and
     * inverted. A port whose outputs leave a block out (e.g. a non-centred parameter) overrides
     * {@link #recover}.
     */
    @Override public Tensor unconstrain(Tensor y) {
        List<String> out = outputNames();
        if (y.rank() != 2 || y.dim(1) != out.size())
            throw new IllegalArgumentException(name() + ": expected N×" + out.size() + " values " + out + ", got " + java.util.Arrays.toString(y.shape()));
        double[] a = y.toDoubleArray();
        int n = y.dim(0), w = out.size();
        double[] u = new double[n * dim];
        Map<String, Integer> first = new LinkedHashMap<>();
        int c = 0;
        for (Map.Entry<String, Object> e : StanData.dimensions(posterior).entrySet()) { first.put(e.getKey(), c); c += ((Number) e.getValue()).intValue(); }
        for (int r = 0; r < n; r++) {
            Map<String, double[]> row = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> e : first.entrySet())
                row.put(e.getKey(), java.util.Arrays.copyOfRange(a, r * w + e.getValue(), r * w + e.getValue() + declaredSize(e.getKey())));
            recover(row);
            for (Block b : blocks) {
                double[] v = row.get(b.name);
                if (v == null) throw new IllegalStateException(name() + ": cannot recover parameter '" + b.name + "' from the outputs");
                double[] f;
                try { f = b.constraint.inverse(v); }
                catch (IllegalArgumentException e) { throw new IllegalArgumentException(name() + ": draw " + (r + 1) + ", parameter " + b.name + ": " + e.getMessage(), e); }
                System.arraycopy(f, 0, u, r * dim + b.offset, f.length);
            }
        }
        return Tensor.of(y.dtype(), u, n, dim);
    }

    /** Adds to one draw's outputs the constrained blocks that are not among them (default: none). */
    protected void recover(Map<String, double[]> row) {}

    // ---------------------------------------------------------------- data as constants

    /** A data array as a constant of the batch's dtype (cached per array and dtype). */
    protected final Var data(Var like, double[] values, int... shape) {
        record Key(double[] values, DType dtype, String shape) {}
        Tensor t = constants.computeIfAbsent(new Key(values, like.dtype(), java.util.Arrays.toString(shape)), k -> Tensor.of(like.dtype(), values, shape));
        return constant(t);
    }

    /** A constant scalar of the batch's dtype. */
    protected static Var num(Var like, double v) { return constant(Tensor.scalar(like.dtype(), v)); }
}
