package sivi.methods;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import sivi.fit.Fit;
import sivi.fit.Sivi;
import sivi.targets.Targets;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 7's end-to-end check: a KSIVI fit on banana gives the same result on the OpenCL backend
 * as on SIMD, within float tolerance. Without a device the test is skipped, except under CI=true,
 * where .ci/run installs PoCL and a missing device is a failure.
 */
class OpenClFitTest {

    private static boolean haveDevice() {
        return sivi.kernels.Backends.openClAvailable();
    }

    private static Fit fit(String backend) {
        return Sivi.method("ksivi").preset("ksivi-banana").iterations(30).set("batch", 64).seed(5)
                .dtype(sivi.tensor.DType.F64).backend(backend, 1).draws(200).fit(Targets.banana());
    }

    @Test void ksiviFitOnOpenClMatchesSimd() {
        if (!haveDevice()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("no OpenCL device under CI=true (.ci/run installs PoCL)");
            Assumptions.abort("no OpenCL device on this machine");
        }
        Fit simd = fit("simd"), cl = fit("opencl");
        assertEquals("opencl", cl.backend());
        // f64 on both: per-op differences are a few ulps (different summation orders); over 30 Adam
        // steps of lr 1e-3 they stay far below 1e-6 in the parameters and the objective trace.
        double[] a = simd.trace().objective(), b = cl.trace().objective();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-6 * (1 + Math.abs(a[i])), "objective at iteration " + i);
        for (String name : simd.params().names()) {
            double[] p = simd.params().get(name).toDoubleArray(), q = cl.params().get(name).toDoubleArray();
            for (int i = 0; i < p.length; i++) assertEquals(p[i], q[i], 1e-6 * (1 + Math.abs(p[i])), name + "[" + i + "]");
        }
        double[] s = simd.samples().toDoubleArray(), t = cl.samples().toDoubleArray();
        for (int i = 0; i < s.length; i++) assertEquals(s[i], t[i], 1e-5 * (1 + Math.abs(s[i])), "draw " + i);
    }
}
