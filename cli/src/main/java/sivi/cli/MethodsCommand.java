package sivi.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sivi.fit.Preset;
import sivi.fit.Registry;

/** {@code sivi methods}: every registered method with its description and presets. */
@Command(name = "methods", mixinStandardHelpOptions = true, description = "List the methods and their presets.")
final class MethodsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        var out = spec.commandLine().getOut();
        var methods = Registry.methods();
        int w = methods.keySet().stream().mapToInt(String::length).max().orElse(4);
        for (var e : methods.entrySet()) {
            out.println(String.format("%-" + w + "s  %s", e.getKey(), e.getValue()));
            for (Preset p : Registry.presets().values())
                if (p.method().equals(e.getKey()))
                    out.println(String.format("%" + w + "s    preset %-20s target %-12s %6d iterations  %s", "", p.name(), p.target(), p.iterations(), p.options()));
        }
        return Main.OK;
    }
}
