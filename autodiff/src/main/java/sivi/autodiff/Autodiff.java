package sivi.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import sivi.tensor.Tensor;

/**
 * Reverse-mode differentiation over the recorded graph, and the functional transforms built on
 * it: {@link #grad}, {@link #vjp}, {@link #jvp}, {@link #hvp}.
 *
 * <p>Semantics: gradients are partial derivatives with respect to the requested nodes — the
 * traversal stops at them, so asking for ∂y/∂u where u was computed from v gives the derivative
 * holding v fixed through other paths. For leaves (the usual case) this is the plain gradient.
 */
public final class Autodiff {
    private Autodiff() {}

    /**
     * Gradients of {@code Σ seed ⊙ y} with respect to each of {@code wrt}. With seed null, y must
     * have one element and the seed is 1. With createGraph the result is itself differentiable.
     * Nodes that y does not depend on get zeros.
     */
    public static Var[] grad(Var y, Var[] wrt, Var seed, boolean createGraph) {
        if (seed == null) {
            if (y.size() != 1) throw new IllegalArgumentException("grad: output has shape " + java.util.Arrays.toString(y.shape()) + "; pass a seed (vjp) for non-scalar outputs");
            seed = Var.constant(Tensor.ones(y.dtype(), y.shape()));
        } else if (!java.util.Arrays.equals(seed.shape(), y.shape())) {
            throw new IllegalArgumentException("grad: seed shape " + java.util.Arrays.toString(seed.shape()) + " differs from output " + java.util.Arrays.toString(y.shape()));
        }
        final Var s = seed;
        return GradMode.with(createGraph, () -> backward(y, wrt, s));
    }

    private static Var[] backward(Var y, Var[] wrt, Var seed) {
        IdentityHashMap<Var, Boolean> stop = new IdentityHashMap<>();
        for (Var w : wrt) stop.put(w, Boolean.TRUE);
        List<Var> order = topoOrder(y, stop);
        Map<Var, Var> acc = new IdentityHashMap<>();
        if (y.requiresGrad()) acc.put(y, seed);
        for (int i = order.size() - 1; i >= 0; i--) {
            Var node = order.get(i);
            Var g = acc.get(node);
            if (g == null || node.backward == null || stop.containsKey(node)) continue;
            Var[] gs = node.backward.apply(g);
            for (int p = 0; p < node.parents.length; p++) {
                Var parent = node.parents[p];
                if (parent == null || !parent.requiresGrad() || gs[p] == null) continue;
                Var prev = acc.get(parent);
                acc.put(parent, prev == null ? gs[p] : Ops.add(prev, gs[p]));
            }
        }
        Var[] out = new Var[wrt.length];
        for (int i = 0; i < wrt.length; i++) {
            Var g = acc.get(wrt[i]);
            out[i] = g != null ? g : Ops.zerosLike(wrt[i]);
        }
        return out;
    }

    /** Nodes reachable from y that need a gradient, parents before children; not expanded past stop nodes. */
    private static List<Var> topoOrder(Var y, IdentityHashMap<Var, Boolean> stop) {
        List<Var> order = new ArrayList<>();
        if (!y.requiresGrad()) return order;
        IdentityHashMap<Var, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {y, 0});
        visited.put(y, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Var v = (Var) frame[0];
            int i = (Integer) frame[1];
            Var[] ps = stop.containsKey(v) ? new Var[0] : v.parents;
            if (i < ps.length) {
                frame[1] = i + 1;
                Var p = ps[i];
                if (p != null && p.requiresGrad() && !visited.containsKey(p)) {
                    visited.put(p, Boolean.TRUE);
                    stack.push(new Object[] {p, 0});
                }
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }

    /** Gradient of a scalar function at a point (first order, no graph kept). */
    public static Tensor grad(Function<Var, Var> f, Tensor x) {
        // NOTE: records f even when called inside GradMode.noGrad (as vjp/jvp/hvp do); otherwise the
        // graph is empty and the gradient silently comes out as zeros
        return GradMode.with(true, () -> {
            Var xv = Var.leaf(x);
            return grad(f.apply(xv), new Var[] {xv}, null, false)[0].value();
        });
    }

    /**
     * Vector-Jacobian product of f at the given inputs: the gradients of Σ seed ⊙ f(ins).
     * The inputs may be existing graph nodes (then the result connects to them when createGraph).
     */
    public static Var[] vjp(Function<Var[], Var> f, Var[] ins, Var seed, boolean createGraph) {
        return GradMode.with(true, () -> {
            Var out = f.apply(ins);
            return grad(out, ins, seed, createGraph);
        });
    }

    /** Vector-Jacobian product at a point: uᵀ J_f(x). */
    public static Tensor vjp(Function<Var, Var> f, Tensor x, Tensor u) {
        Var xv = Var.leaf(x);
        return vjp(ins -> f.apply(ins[0]), new Var[] {xv}, Var.constant(u), false)[0].value();
    }

    /**
     * Jacobian-vector product J_f(x)·v by the double-vjp trick: with g(u) = uᵀJ (linear in u),
     * J·v = ∇_u (g(u)·v). Costs two reverse passes; exact.
     */
    public static Tensor jvp(Function<Var, Var> f, Tensor x, Tensor v) {
        return GradMode.with(true, () -> {
            Var xv = Var.leaf(x);
            Var y = f.apply(xv);
            Var u = Var.leaf(Tensor.zeros(y.dtype(), y.shape()));
            Var g = grad(y, new Var[] {xv}, u, true)[0];
            Var inner = Ops.sum(Ops.mul(g, Var.constant(v)));
            return grad(inner, new Var[] {u}, null, false)[0].value();
        });
    }

    /** Hessian-vector product H_f(x)·v of a scalar function (reverse over reverse). */
    public static Tensor hvp(Function<Var, Var> f, Tensor x, Tensor v) {
        Var xv = Var.leaf(x);
        return hvp(f, xv, Var.constant(v), false).value();
    }

    /** Hessian-vector product as a Var: ∇_x (∇_x f(x) · v). With createGraph it is differentiable again. */
    public static Var hvp(Function<Var, Var> f, Var x, Var v, boolean createGraph) {
        return GradMode.with(true, () -> {
            Var y = f.apply(x);
            Var g = grad(y, new Var[] {x}, null, true)[0];
            Var inner = Ops.sum(Ops.mul(g, v));
            return grad(inner, new Var[] {x}, null, createGraph)[0];
        });
    }
}
