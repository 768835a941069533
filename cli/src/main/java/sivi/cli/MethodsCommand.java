package sivi.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sivi.data.Json;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Preset;
import sivi.fit.Registry;

/**
 * {@code sivi methods [NAME] [--json]}: every registered method (or one) with its description, every
 * option it accepts (type, default, unit, doc) and its presets, read from the method descriptors.
 * Method names start a line and nothing else does (scripts list methods with {@code awk '/^[a-z]/'}).
 */
@Command(name = "methods", mixinStandardHelpOptions = true,
        description = "List the methods with their options (type, default, doc) and presets; 'sivi help METHOD' shows one.")
final class MethodsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "METHOD", description = "Show only this method.")
    String name;

    @Option(names = "--json", description = "Print the descriptors as JSON.")
    boolean json;

    @Override public Integer call() {
        List<MethodDescriptor> ds = name == null ? Registry.descriptors() : List.of(Cli.methodDescriptor(spec, "METHOD", name));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Object> all = new ArrayList<>();
            for (MethodDescriptor d : ds) all.add(asMap(d));
            out.println(Json.write(name == null ? all : all.get(0)));
        } else for (MethodDescriptor d : ds) print(out, d);
        return Main.OK;
    }

    /** The text form: name and description, then one indented line per option and per preset. */
    static void print(PrintWriter out, MethodDescriptor d) {
        out.println(d.name() + "  " + d.description());
        int w = d.options().stream().mapToInt(s -> s.key().length()).max().orElse(4);
        int t = d.options().stream().mapToInt(s -> s.signature().length()).max().orElse(4);
        out.println("    options (--set key=value):");
        for (OptionSpec s : d.options()) {
            String when = s.whenKey() == null ? "" : " [only with " + s.whenKey() + "=" + s.whenValue() + "]";
            out.println(String.format("      %-" + w + "s  %-" + t + "s  %s%s%s", s.key(), s.signature(), s.doc(),
                    s.min() != null || s.type() == OptionSpec.Type.ENUM ? "; " + s.accepted() : "", when));
        }
        if (!d.presets().isEmpty()) out.println("    presets (--preset NAME):");
        int pw = d.presets().stream().mapToInt(p -> p.name().length()).max().orElse(4);
        for (Preset p : d.presets())
            out.println(String.format("      %-" + pw + "s  target %-12s %6d iterations  %s  [%s]", p.name(), p.target(), p.iterations(), p.options(), p.source()));
    }

    /** The default as a JSON value of the option's type (number, boolean, string), null when it is computed. */
    private static Object typed(OptionSpec s) {
        String v = s.defaultValue();
        if (v == null) return null;
        return switch (s.type()) {
            case INT -> Long.parseLong(v);
            case DOUBLE -> Double.parseDouble(v);
            case BOOL -> Boolean.parseBoolean(v);
            default -> v;
        };
    }

    private static Map<String, Object> asMap(MethodDescriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("description", d.description());
        List<Object> opts = new ArrayList<>();
        for (OptionSpec s : d.options()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("key", s.key());
            o.put("type", s.type().name().toLowerCase(java.util.Locale.ROOT));
            o.put("default", typed(s));   // null: computed from other options (see doc)
            o.put("unit", s.unit());
            o.put("doc", s.doc());
            o.put("accepted", s.accepted());
            o.put("only_with", s.whenKey() == null ? null : s.whenKey() + "=" + s.whenValue());
            opts.add(o);
        }
        m.put("options", opts);
        List<Object> presets = new ArrayList<>();
        for (Preset p : d.presets()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", p.name());
            o.put("target", p.target());
            o.put("iterations", p.iterations());
            o.put("options", new LinkedHashMap<>(p.options().asMap()));
            o.put("source", p.source());
            presets.add(o);
        }
        m.put("presets", presets);
        return m;
    }
}
