package sivi.fit;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The descriptor rules on a made-up method (no method implementation needed). */
class MethodDescriptorTest {
    private static final List<OptionSpec> SCHEMA = List.of(
            OptionSpec.integer("batch", 10, "draws").min(1),
            OptionSpec.choice("objective", "a", "variant", "a", "b"),
            OptionSpec.real("only_a", 1.0, "a key of variant a").onlyWhen("objective", "a"),
            OptionSpec.list("hidden", "5,5", "widths"));

    private static MethodDescriptor descriptor(Preset... presets) {
        return new MethodDescriptor("toy", "a toy", SCHEMA, List.of(presets), () -> { throw new UnsupportedOperationException(); });
    }

    @Test void presetsMustUseDeclaredKeysWithValidValues() {
        assertThrows(IllegalArgumentException.class, () -> descriptor(new Preset("toy-x", "toy", "x", 1, Options.of("nope", "1"), "s")));
        assertThrows(IllegalArgumentException.class, () -> descriptor(new Preset("toy-x", "toy", "x", 1, Options.of("batch", "0"), "s")));
        assertThrows(IllegalArgumentException.class, () -> descriptor(new Preset("toy-x", "other", "x", 1, Options.empty(), "s")));
    }

    @Test void duplicateKeysAndConditionsOnUndeclaredKeysAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MethodDescriptor("toy", "", List.of(SCHEMA.get(0), SCHEMA.get(0)), () -> null));
        assertThrows(IllegalArgumentException.class, () -> new MethodDescriptor("toy", "", List.of(SCHEMA.get(2)), () -> null));
    }

    @Test void valuesAreCheckedByType() {
        MethodDescriptor d = descriptor();
        assertEquals("option batch=0 is not an integer >= 1", assertThrows(IllegalArgumentException.class, () -> d.validate(Options.of("batch", "0"))).getMessage());
        assertEquals("option hidden=5,x is not comma-separated integers, e.g. 50,50",
                assertThrows(IllegalArgumentException.class, () -> d.validate(Options.of("hidden", "5,x"))).getMessage());
        assertDoesNotThrow(() -> d.validate(Options.of("hidden", "5, 7", "objective", "b", "batch", "3")));
        assertDoesNotThrow(() -> d.validate(Options.of("hidden", "")));   // no hidden layer: a linear net
    }

    @Test void keysOfAnotherVariantAreDroppedWithANoteAndOriginsTraceOverrides() {
        Preset p = new Preset("toy-x", "toy", "x", 1, Options.of("batch", "20", "only_a", "2"), "s");
        MethodDescriptor.Resolved r = descriptor(p).resolve(p, Options.of("objective", "b", "batch", "30").from("--set"));
        assertFalse(r.options().has("only_a"));
        assertEquals(List.of("toy: dropped only_a=2 (preset toy-x); it applies only with objective=a, not b"), r.notes());
        assertEquals("--set (overrides preset toy-x: 20)", r.options().origin("batch"));
        assertEquals("--set", r.options().origin("objective"));
        // without the switch the key applies and stays
        assertTrue(descriptor(p).resolve(p, Options.empty()).options().has("only_a"));
    }
}
