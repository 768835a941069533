package sivi.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sivi.fit.Preset;
import sivi.fit.Registry;
import sivi.targets.DataTargets;
import sivi.targets.Target;
import sivi.targets.Targets;

/** {@code sivi targets}: every registered target with its dimension, description and presets. */
@Command(name = "targets", mixinStandardHelpOptions = true, description = "List the targets (name, dimension, description, presets).")
final class TargetsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        var out = spec.commandLine().getOut();
        var all = Targets.all();
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
}
