package sivi.methods;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import sivi.fit.Fit;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Options;
import sivi.fit.Registry;
import sivi.fit.Sivi;
import sivi.kernels.Rng;
import sivi.targets.Targets;
import sivi.tensor.DType;

/** The descriptors against the code: schema ↔ reads, preset rules, validation messages. */
class DescriptorTest {

    /**
     * Variants that reach every read: the defaults, each other choice of every enum option, and each
     * boolean flipped (both values when its default is computed).
     */
    private static List<Options> variants(MethodDescriptor d) {
        List<Options> out = new ArrayList<>(List.of(Options.empty()));
        for (OptionSpec s : d.options()) {
            if (s.type() == OptionSpec.Type.ENUM)
                for (String c : s.choices()) if (!c.equals(s.defaultValue())) out.add(Options.of(s.key(), c));
            if (s.type() == OptionSpec.Type.BOOL)
                for (String v : List.of("true", "false")) if (!v.equals(s.defaultValue())) out.add(Options.of(s.key(), v));
        }
        return out;
    }

    @Test void everyOptionAMethodReadsIsDeclaredWithItsDefaultAndEveryDeclaredOptionIsRead() {
        var target = Targets.create("banana");
        for (MethodDescriptor d : Registry.descriptors()) {
            Set<String> read = new TreeSet<>();
            for (Options v : variants(d)) {
                Options bound = d.validate(d.resolve(null, v).options());
                d.create().init(target, bound, DType.F64, Rng.of(1, 0));
                read.addAll(bound.read());
            }
            Set<String> declared = new TreeSet<>(d.schema().keySet());
            assertEquals(declared, read, d.name() + ": declared options vs options read by init");
        }
    }

    @Test void everyFactoryMakesAMethodOfTheDescriptorsName() {
        // the Trainer finds a method's schema by Method.name(): a mismatch would skip the validation
        for (MethodDescriptor d : Registry.descriptors()) assertEquals(d.name(), d.create().name());
    }

    @Test void everyPresetValidatesAgainstItsMethodsSchema() {
        for (MethodDescriptor d : Registry.descriptors())
            for (var p : d.presets()) assertDoesNotThrow(() -> d.resolve(p, Options.empty()), p.name());
    }

    @Test void aPresetAppliesEveryKeyBatchIncludedAndRecordsTheSource() {
        Options o = Sivi.method("ksivi").preset("ksivi-banana").resolve().options();
        assertEquals("500", o.asMap().get("batch"));
        assertEquals("preset ksivi-banana", o.origin("batch"));
    }

    @Test void anExplicitOptionOverridesOneKeyAndIsRecorded() {
        Options o = Sivi.method("ksivi").preset("ksivi-banana").set("batch", 100).resolve().options();
        assertEquals("100", o.asMap().get("batch"));
        assertEquals("set (overrides preset ksivi-banana: 500)", o.origin("batch"));
        assertEquals("preset ksivi-banana", o.origin("lr"));
    }

    @Test void anUnknownKeyListsTheAcceptedOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Sivi.method("ksivi").set("btach", 100).resolve());
        assertTrue(e.getMessage().contains("'btach'"), e.getMessage());
        assertTrue(e.getMessage().contains("accepted: batch, zdim, hidden"), e.getMessage());
    }

    @Test void aBadValueNamesKeyValueAndTheAcceptedForm() {
        var e = assertThrows(IllegalArgumentException.class, () -> Sivi.method("ksivi").set("batch", "many").resolve());
        assertEquals("option batch=many is not an integer >= 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sivi.method("ksivi").set("kernel", "cosine").resolve());
        assertEquals("option kernel=cosine is not one of gaussian, rbf, imq, laplace", e.getMessage());
    }

    @Test void hsiviPresetWithTheLbObjectiveDropsTheCriticKeysWithANote() {
        Sivi s = Sivi.method("hsivi").preset("hsivi-multimodal").set("objective", "lb").iterations(2).draws(10).seed(3);
        var r = s.resolve();
        assertFalse(r.options().has("f_hidden"));
        assertFalse(r.options().has("lr_f"));
        assertEquals(2, r.notes().size(), r.notes().toString());
        assertTrue(r.notes().get(0).contains("applies only with objective=sm"), r.notes().get(0));
        Fit fit = s.fit(Targets.create("multimodal"));
        assertEquals(2, fit.trace().size());
        assertTrue(Double.isFinite(fit.finalObjective()));
    }

    @Test void aRegisteredMethodReadingAnUndeclaredOptionOrAnotherDefaultFails() {
        Options bound = Ksivi.DESCRIPTOR.validate(Options.empty());
        assertThrows(IllegalStateException.class, () -> bound.getInt("no_such_option", 1));
        assertThrows(IllegalStateException.class, () -> bound.getInt("batch", 499));
        assertEquals(500, bound.getInt("batch", 500));
    }
}
