package sivi.fit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Methods and presets by name. Built-in methods register in {@code sivi.methods.BuiltIns};
 * the error for an unknown name lists the known ones.
 */
public final class Registry {
    private Registry() {}

    private static final Map<String, Supplier<Method>> METHODS = new LinkedHashMap<>();
    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();
    private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

    static { sivi.methods.BuiltIns.registerAll(); }

    public static synchronized void method(String name, String description, Supplier<Method> factory) {
        if (METHODS.containsKey(name)) throw new IllegalStateException("method '" + name + "' registered twice");
        METHODS.put(name, factory);
        DESCRIPTIONS.put(name, description);
    }

    public static synchronized void preset(Preset p) {
        if (PRESETS.containsKey(p.name())) throw new IllegalStateException("preset '" + p.name() + "' registered twice");
        if (!METHODS.containsKey(p.method())) throw new IllegalStateException("preset '" + p.name() + "' names unknown method " + p.method());
        PRESETS.put(p.name(), p);
    }

    public static synchronized Method method(String name) {
        Supplier<Method> f = METHODS.get(name);
        if (f == null) throw new IllegalArgumentException("unknown method '" + name + "' (known: " + String.join(", ", METHODS.keySet()) + ")");
        return f.get();
    }

    public static synchronized Preset preset(String name) {
        Preset p = PRESETS.get(name);
        if (p == null) throw new IllegalArgumentException("unknown preset '" + name + "' (known: " + String.join(", ", PRESETS.keySet()) + ")");
        return p;
    }

    /** The preset named "{method}-{target}" if there is one. */
    public static synchronized java.util.Optional<Preset> defaultPreset(String method, String target) {
        return java.util.Optional.ofNullable(PRESETS.get(method + "-" + target));
    }

    public static synchronized Map<String, String> methods() { return new LinkedHashMap<>(DESCRIPTIONS); }

    public static synchronized Map<String, Preset> presets() { return new LinkedHashMap<>(PRESETS); }
}
