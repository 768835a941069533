package sivi.autodiff;

import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * A node of the define-by-run graph: a value, the parents it was computed from, and a backward
 * rule. Backward rules are written with {@link Ops}, so they are themselves differentiable when
 * the gradient is taken with {@code createGraph = true} (gradients of gradients).
 *
 * <p>No gradient is stored on the node: {@link Autodiff#grad} returns fresh values, so taking a
 * gradient twice gives the same answer.
 */
public final class Var {
    /** Maps the gradient of the output to one gradient per parent (null entries: no contribution). */
    @FunctionalInterface
    public interface Backward { Var[] apply(Var g); }

    private static final Var[] NONE = new Var[0];

    private final Tensor value;
    private final String op;
    final Var[] parents;
    final Backward backward;
    private final boolean requiresGrad;

    private Var(String op, Tensor value, Var[] parents, Backward backward, boolean requiresGrad) {
        this.op = op; this.value = value; this.parents = parents; this.backward = backward; this.requiresGrad = requiresGrad;
    }

    /** A constant: no gradient flows into it. */
    public static Var constant(Tensor value) { return new Var("const", value, NONE, null, false); }

    /** A leaf that gradients are taken with respect to (a parameter or an input). */
    public static Var leaf(Tensor value) { return new Var("leaf", value, NONE, null, true); }

    /**
     * The result of an op. Recorded with its parents only while {@link GradMode} records and some
     * parent needs a gradient; otherwise it is a constant (the cheap path).
     */
    public static Var derived(String op, Tensor value, Var[] parents, Backward backward) {
        if (!GradMode.isRecording()) return new Var(op, value, NONE, null, false);
        for (Var p : parents) if (p != null && p.requiresGrad) return new Var(op, value, parents, backward, true);
        return new Var(op, value, NONE, null, false);
    }

    public Tensor value() { return value; }
    public String op() { return op; }
    public boolean requiresGrad() { return requiresGrad; }
    public DType dtype() { return value.dtype(); }
    public int[] shape() { return value.shape(); }
    public int dim(int axis) { return value.dim(axis); }
    public int rank() { return value.rank(); }
    public int size() { return value.size(); }
    public double item() { return value.item(); }

    /** The same value cut from the graph (stop-gradient). */
    public Var detach() { return requiresGrad ? constant(value) : this; }

    @Override public String toString() { return "Var(" + op + ", " + value + ")"; }
}
