package sivi.kernels.fused;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import sivi.kernels.Backend;

/**
 * The fused set: ops a backend may implement natively for speed, each with a composite twin built
 * from {@link Backend}'s primitives (and, for the median, a host selection) that runs when it does
 * not. A backend implements a fused op natively by overriding its {@link Backend} methods; a
 * {@link Backend} default method is the twin, and every call of a twin is counted
 * ({@link Fallbacks}), so a missing native op is visible ({@code sivi devices}, {@code sivi bench}).
 * The table of ops, twins, oracles and kernels is kernels/README.md.
 */
public enum Fused {
    PAIRWISE("pairwise", "sqDist/2", "l1Dist/2", "distContract/3", "l1DistContract/3"),
    KERNEL("kernel", "kernelFromSqDist/3", "kernelFromSqDistBackward/5"),
    KSD("ksd", "ksdQuadratic/6", "ksdQuadraticWithGradient/6"),
    MEDIAN("median", "median/1", "pairwiseMedian/3"),
    MIXTURE("mixture", "lseMixture/3", "lseMixtureBackward/4"),
    DENSE("dense", "dense/4", "denseBackward/6"),
    LOGISTIC("logistic", "logisticTerms/3", "logisticScore/4"),
    MATMUL_TIMES("matmulTimes", "matmulTimes/3", "matmulTimesMatmul/4"),
    RELU_NET("reluNet", "reluNetGradient/6");

    private final String label;
    private final List<String> methods;

    Fused(String label, String... methods) { this.label = label; this.methods = List.of(methods); }

    /** Short name, as in reports and the README. */
    public String label() { return label; }

    /** The {@link Backend} methods of this op whose defaults are the twin, as "name/arity". */
    public List<String> methods() { return methods; }

    /** True if the backend's class overrides every method of this op (so none of them runs as the twin). */
    public boolean isNativeIn(Backend backend) {
        for (String method : methods) {
            String name = method.substring(0, method.indexOf('/'));
            int arity = Integer.parseInt(method.substring(method.indexOf('/') + 1));
            boolean any = false;
            for (Method m : backend.getClass().getMethods())
                if (m.getName().equals(name) && m.getParameterCount() == arity) {
                    any = true;
                    if (m.getDeclaringClass().isInterface()) return false;   // a Backend default: the twin
                }
            if (!any) throw new IllegalStateException("Fused." + name() + ": Backend has no method " + method);
        }
        return true;
    }

    /** One line: the backend's name, then each fused op as native or twin. */
    public static String describe(Backend backend) {
        List<String> parts = new ArrayList<>();
        for (Fused op : values()) parts.add(op.label + (op.isNativeIn(backend) ? " native" : " TWIN"));
        return backend.name() + ": " + String.join(", ", parts);
    }
}
