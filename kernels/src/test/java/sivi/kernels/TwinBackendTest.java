package sivi.kernels;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.kernels.fused.Fallbacks;
import sivi.kernels.fused.Fused;
import sivi.kernels.simd.SimdBackend;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * A backend with the primitives only (the SIMD ones): every fused op runs as its composite twin,
 * and the whole contract must still hold against the oracle, with the same derived bounds.
 */
class TwinBackendTest extends BackendContract {

    /** Delegates the primitives to SIMD and implements no fused op. */
    static final class PrimitivesOnly implements Backend {
        private final Backend p = new SimdBackend(1);
        @Override public String name() { return "primitives-only"; }
        @Override public int threads() { return 1; }
        @Override public Tensor unary(Unary op, Tensor x) { return p.unary(op, x); }
        @Override public Tensor binary(Binary op, Tensor a, Tensor b) { return p.binary(op, a, b); }
        @Override public Tensor where(Tensor cond, Tensor a, Tensor b) { return p.where(cond, a, b); }
        @Override public Tensor affine(Tensor x, double a, double b) { return p.affine(x, a, b); }
        @Override public Tensor reduce(Reduce op, Tensor x, int axis, boolean keepDim) { return p.reduce(op, x, axis, keepDim); }
        @Override public Tensor sumTo(Tensor g, int[] shape) { return p.sumTo(g, shape); }
        @Override public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) { return p.matmul(a, b, transA, transB); }
        @Override public void close() { p.close(); }
    }

    @Override Backend create() { return new PrimitivesOnly(); }

    @Test void everyFusedOpIsATwinAndEachCallIsCounted() {
        for (Fused op : Fused.values()) assertFalse(op.isNativeIn(fast), op + " reported native");
        Fallbacks.reset();
        Tensor x = Tensor.of(DType.F64, new double[] {1, 2, 3, 4}, 2, 2);
        fast.sqDist(x, x);
        fast.median(x);
        fast.median(x);
        assertEquals(1L, Fallbacks.snapshot().get("primitives-only/pairwise"));
        assertEquals(2L, Fallbacks.snapshot().get("primitives-only/median"));
    }

    /** SIMD has a kernel for every fused op; the oracle's logisticTerms and matmulTimes are defined as their compositions. */
    @Test void simdIsNativeForEveryFusedOpAndTheOracleForAllButTwoCompositions() {
        try (Backend simd = new SimdBackend(1)) { for (Fused op : Fused.values()) assertTrue(op.isNativeIn(simd), "simd runs " + op + " as its twin"); }
        Backend oracle = new sivi.kernels.ref.ScalarBackend();
        for (Fused op : Fused.values())
            assertEquals(op != Fused.LOGISTIC && op != Fused.MATMUL_TIMES, op.isNativeIn(oracle), "scalar: " + op);
    }
}
