package sivi.methods;

import java.util.Map;
import org.junit.jupiter.api.Test;
import sivi.fit.Fit;
import sivi.fit.Registry;
import sivi.fit.Sivi;
import sivi.targets.Gaussian;
import sivi.targets.Targets;
import sivi.tensor.DType;

import static org.junit.jupiter.api.Assertions.*;

/** Registration, presets, option handling and short runs (recovery of a Gaussian: MethodRecoveryTest). */
class MethodsTest {
    static final Gaussian TARGET2 = Recovery.TARGET;

    @Test void everyMethodAndToyPresetIsRegistered() {
        Map<String, String> m = Registry.methods();
        for (String name : new String[] {"advi", "fullrank", "sivi", "iwhvi", "uivi", "svgd"}) assertTrue(m.containsKey(name), name);
        for (String method : new String[] {"advi", "fullrank", "sivi", "iwhvi", "uivi", "svgd"})
            for (String target : new String[] {"banana", "multimodal", "x-shaped", "gaussian"})
                assertTrue(Registry.defaultPreset(method, target).isPresent(), method + "-" + target);
    }

    @Test void unknownOptionIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Sivi.method("sivi").set("kk", 3).iterations(1).fit(TARGET2));
        assertTrue(e.getMessage().contains("kk"), e.getMessage());
    }

    @Test void badFamilyNameListsTheAcceptedOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Sivi.method("iwhvi").set("family", "nope").iterations(1).fit(TARGET2));
        assertTrue(e.getMessage().contains("net_sigma"), e.getMessage());
    }

    @Test void kScheduleIsPiecewiseConstant() {
        var s = Estimators.IntSchedule.parse("k_schedule", "0:1, 100:5,300:50", 9);
        assertEquals(1, s.at(0));
        assertEquals(1, s.at(99));
        assertEquals(5, s.at(100));
        assertEquals(50, s.at(10_000));
        assertEquals(9, Estimators.IntSchedule.parse("k_schedule", "", 9).at(5));
        assertThrows(IllegalArgumentException.class, () -> Estimators.IntSchedule.parse("k_schedule", "10-3", 9));
    }

    /** Every toy preset runs a few iterations on its target and produces finite draws. */
    @Test void toyPresetsRunOnBanana() {
        for (String method : new String[] {"advi", "fullrank", "sivi", "iwhvi", "uivi", "svgd"}) {
            Fit fit = Sivi.method(method).preset(method + "-banana").iterations(3).seed(5).draws(50).fit(Targets.banana());
            for (double v : fit.samples().toDoubleArray()) assertTrue(Double.isFinite(v), method);
            assertTrue(Double.isFinite(fit.finalObjective()), method);
        }
    }

    @Test void multiSampleIwhviRuns() {
        Fit fit = Sivi.method("iwhvi").set("batch", 32).set("m", 4).set("k", 3).set("zdim", 2).set("hidden", "8").set("tau_hidden", "8")
                .iterations(20).dtype(DType.F64).seed(7).draws(100).fit(TARGET2);
        assertTrue(Double.isFinite(fit.finalObjective()));
        assertThrows(IllegalArgumentException.class, () -> Sivi.method("iwhvi").set("batch", 30).set("m", 4).iterations(1).fit(TARGET2));
    }

    /** SIVI 2018 BLR recipe: the Cholesky factor moves (SGD) only during its window, then stays frozen. */
    @Test void fullCovSiviFreezesTheCholeskyFactorAfterItsWindow() {
        java.util.function.IntFunction<Fit> run = its -> Sivi.method("sivi").set("family", "full_cov").set("zdim", 3).set("hidden", "8")
                .set("k", 5).set("batch", 8).set("lr_chol", 1e-2).set("chol_iterations", 2).set("k_schedule", "0:1,3:5")
                .iterations(its).dtype(DType.F64).seed(9).draws(10).fit(TARGET2);
        Fit two = run.apply(2), five = run.apply(5), zero = run.apply(0);
        assertArrayEquals(two.params().get("q.chol").toDoubleArray(), five.params().get("q.chol").toDoubleArray(), 0);
        assertFalse(java.util.Arrays.equals(zero.params().get("q.chol").toDoubleArray(), two.params().get("q.chol").toDoubleArray()));
        assertFalse(java.util.Arrays.equals(two.params().get("q.mu.0.weight").toDoubleArray(), five.params().get("q.mu.0.weight").toDoubleArray()));
        assertEquals(5.0, five.trace().extras().get("k")[4]);
    }
}
