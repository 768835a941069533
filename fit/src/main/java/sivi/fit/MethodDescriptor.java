package sivi.fit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything the library and the CLI know about one method: name, one-line description, the typed
 * option schema (which drives {@code sivi methods}, {@code sivi help <method>} and the validation of
 * {@code --set}), the reference presets and the factory. Methods describe themselves (a static
 * {@code DESCRIPTOR} next to the code that reads the options); {@link Registry} collects them.
 */
public record MethodDescriptor(String name, String description, List<OptionSpec> options, List<Preset> presets, Supplier<Method> factory) {

    public MethodDescriptor {
        options = List.copyOf(options);
        presets = List.copyOf(presets);
        Map<String, OptionSpec> seen = new LinkedHashMap<>();
        for (OptionSpec s : options) {
            if (seen.put(s.key(), s) != null) throw new IllegalArgumentException("method " + name + " declares option " + s.key() + " twice");
            if (s.defaultValue() != null) s.check(s.defaultValue());
        }
        for (OptionSpec s : options)
            if (s.whenKey() != null && !seen.containsKey(s.whenKey()))
                throw new IllegalArgumentException("option " + s.key() + " of " + name + " depends on undeclared option " + s.whenKey());
        for (Preset p : presets) {
            if (!p.method().equals(name)) throw new IllegalArgumentException("preset " + p.name() + " is for " + p.method() + ", not " + name);
            for (var e : p.options().asMap().entrySet()) {
                if (!seen.containsKey(e.getKey())) throw new IllegalArgumentException("preset " + p.name() + " sets undeclared option " + e.getKey());
                seen.get(e.getKey()).check(e.getValue());
            }
        }
    }

    public MethodDescriptor(String name, String description, List<OptionSpec> options, Supplier<Method> factory) {
        this(name, description, options, List.of(), factory);
    }

    /** This descriptor with more presets (presets live beside their source notes, options beside their reads). */
    public MethodDescriptor withPresets(List<Preset> more) {
        List<Preset> all = new ArrayList<>(presets);
        all.addAll(more);
        return new MethodDescriptor(name, description, options, all, factory);
    }

    public Map<String, OptionSpec> schema() {
        Map<String, OptionSpec> m = new LinkedHashMap<>();
        for (OptionSpec s : options) m.put(s.key(), s);
        return m;
    }

    /** Options after the preset/override merge, with a note per dropped key. */
    public record Resolved(Options options, List<String> notes) {}

    /**
     * The preset's options (may be empty) with {@code explicit} taking precedence, each key marked with
     * where it came from; keys whose condition does not hold (e.g. SM-only keys with objective=lb) are
     * dropped with a note. Unknown keys and ill-typed values are errors.
     */
    public Resolved resolve(Preset preset, Options explicit) {
        Options merged = preset == null ? explicit : preset.options().from("preset " + preset.name()).with(explicit);
        validate(merged);
        List<String> notes = new ArrayList<>();
        Map<String, OptionSpec> schema = schema();
        for (String k : new ArrayList<>(merged.asMap().keySet())) {
            OptionSpec s = schema.get(k);
            if (s.whenKey() == null) continue;
            String actual = merged.has(s.whenKey()) ? merged.asMap().get(s.whenKey()) : schema.get(s.whenKey()).defaultValue();
            if (!s.whenValue().equals(actual)) {
                notes.add(name + ": dropped " + k + "=" + merged.asMap().get(k) + " (" + merged.origin(k) + "); it applies only with "
                        + s.whenKey() + "=" + s.whenValue() + ", not " + actual);
                merged = merged.without(k);
            }
        }
        return new Resolved(merged, notes);
    }

    /** Checks every key and value against the schema; returns the options bound to it (reads then check their defaults). */
    public Options validate(Options o) {
        Map<String, OptionSpec> schema = schema();
        for (var e : o.asMap().entrySet()) {
            OptionSpec s = schema.get(e.getKey());
            if (s == null) throw new IllegalArgumentException("method " + name + " does not take option '" + e.getKey() + "' (accepted: "
                    + String.join(", ", schema.keySet()) + "; see 'sivi help " + name + "')");
            s.check(e.getValue());
        }
        return o.boundTo(name, schema);
    }

    public Method create() { return factory.get(); }
}
