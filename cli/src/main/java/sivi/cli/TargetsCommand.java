package sivi.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sivi.data.Json;
import sivi.fit.Preset;
import sivi.fit.Registry;
import sivi.targets.DataTargets;
import sivi.targets.Target;
import sivi.targets.Targets;

/** {@code sivi targets}: every registered target with its dimension, description and presets. */
@Command(name = "targets", mixinStandardHelpOptions = true, description = "List the targets (name, dimension, description, presets).")
final class TargetsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array instead, one object per target: name, dimension (null for a data target), description, exact_draws, data_target (needs --data/--response), normalised (null for a data target), presets.")
    boolean json;

    @Override public Integer call() {
        var out = spec.commandLine().getOut();
        var all = Targets.all();
        if (json) {
            List<Object> rows = new ArrayList<>();
            for (var e : all.values()) {
                Target t = e.factory().get();
                rows.add(row(e.name(), t.dim(), e.description(), t.exactSample(new sivi.kernels.Rng(0), 1).isPresent(), false, t.isNormalised()));
            }
            for (var e : DataTargets.all().values()) rows.add(row(e.name(), null, e.description(), false, true, null));
            out.println(Json.write(rows));
            return Main.OK;
        }
        int w = all.keySet().stream().mapToInt(String::length).max().orElse(4);
        for (var e : all.values()) {
            Target t = e.factory().get();
            List<String> presets = Registry.presets().values().stream().filter(p -> p.target().equals(e.name())).map(Preset::name).toList();
            out.println(String.format("%-" + w + "s  d=%-4d %s%s", e.name(), t.dim(), e.description(),
                    t.exactSample(new sivi.kernels.Rng(0), 1).isPresent() ? " [exact draws]" : ""));
            if (!presets.isEmpty()) out.println(" ".repeat(w + 9) + "presets: " + String.join(", ", presets));
        }
        for (var e : DataTargets.all().values())
            out.println(String.format("%-" + w + "s  d=data %s [--data FILE.csv --response COL]", e.name(), e.description()));
        return Main.OK;
    }

    private static Map<String, Object> row(String name, Integer dim, String description, boolean exact, boolean data, Boolean normalised) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("dimension", dim);
        m.put("description", description);
        m.put("exact_draws", exact);
        m.put("data_target", data);
        m.put("normalised", normalised);
        m.put("presets", Registry.presets().values().stream().filter(p -> p.target().equals(name)).map(Preset::name).toList());
        return m;
    }
}
