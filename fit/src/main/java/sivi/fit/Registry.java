package sivi.fit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Methods and presets by name, read from the {@link MethodDescriptor}s of every {@link MethodProvider}
 * on the class path (the built-in ones: {@code sivi.methods.BuiltInMethods}). The error for an unknown
 * name lists the known ones.
 */
public final class Registry {
    private Registry() {}

    private static final Map<String, MethodDescriptor> METHODS = new LinkedHashMap<>();
    private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

    static {
        for (MethodProvider p : ServiceLoader.load(MethodProvider.class, Registry.class.getClassLoader()))
            for (MethodDescriptor d : p.methods()) {
                if (METHODS.putIfAbsent(d.name(), d) != null) throw new IllegalStateException("method '" + d.name() + "' registered twice");
                for (Preset s : d.presets())
                    if (PRESETS.putIfAbsent(s.name(), s) != null) throw new IllegalStateException("preset '" + s.name() + "' registered twice");
            }
    }

    public static MethodDescriptor descriptor(String name) {
        MethodDescriptor d = METHODS.get(name);
        if (d == null) throw new IllegalArgumentException("unknown method '" + name + "' (known: " + String.join(", ", METHODS.keySet()) + ")");
        return d;
    }

    /** The descriptor of a registered method; empty for methods that are not registered (e.g. diffusion teachers). */
    public static Optional<MethodDescriptor> find(String name) { return Optional.ofNullable(METHODS.get(name)); }

    public static Method method(String name) { return descriptor(name).create(); }

    public static Preset preset(String name) {
        Preset p = PRESETS.get(name);
        if (p == null) throw new IllegalArgumentException("unknown preset '" + name + "' (known: " + String.join(", ", PRESETS.keySet()) + ")");
        return p;
    }

    /** The preset named "{method}-{target}" if there is one. */
    public static Optional<Preset> defaultPreset(String method, String target) {
        return Optional.ofNullable(PRESETS.get(method + "-" + target));
    }

    public static List<MethodDescriptor> descriptors() { return List.copyOf(METHODS.values()); }

    /** Name → description. */
    public static Map<String, String> methods() {
        Map<String, String> m = new LinkedHashMap<>();
        METHODS.forEach((k, d) -> m.put(k, d.description()));
        return m;
    }

    public static Map<String, Preset> presets() { return new LinkedHashMap<>(PRESETS); }
}
