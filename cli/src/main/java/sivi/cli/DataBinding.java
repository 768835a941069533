package sivi.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import sivi.data.Csv;
import sivi.data.DataException;
import sivi.data.Table;
import sivi.targets.DataTargets;
import sivi.targets.Target;
import sivi.targets.Targets;

/**
 * {@code --data FILE --response COL}: binds a data file to a data-driven target of the
 * {@link DataTargets} registry (a target module registers {@code name → (csv, response) → Target}
 * there; see its javadoc). This is the only place the CLI builds a target from a data file.
 */
final class DataBinding {
    private DataBinding() {}

    static boolean isDataTarget(String name) { return DataTargets.all().containsKey(name); }

    /** --target with its optional --data/--response (fit, eval, mcmc): a data target bound to the file, else a built-in target. */
    static Target target(CommandSpec spec, String name, Path data, String response) {
        return data != null || response != null || isDataTarget(name) ? bind(spec, name, data, response) : Cli.target(spec, name);
    }

    /** The data target {@code name} on {@code data}; one-line usage errors for missing or mismatched flags. */
    static Target bind(CommandSpec spec, String name, Path data, String response) {
        if (data == null && response == null)
            throw Main.usage(spec, "target '" + name + "' needs --data FILE.csv --response COL");
        if (data == null) throw Main.usage(spec, "--response needs --data FILE.csv");
        if (response == null) throw Main.usage(spec, "--data needs --response COL (the response column)");
        if (!Files.isReadable(data)) throw Main.usage(spec, "invalid value for --data: " + data + " (no such readable file)");
        if (!isDataTarget(name)) {
            String known = DataTargets.all().isEmpty() ? "none is registered in this build" : "data targets: " + String.join(", ", DataTargets.all().keySet());
            if (Targets.all().containsKey(name))
                throw Main.usage(spec, "invalid value for --data: target '" + name + "' does not take a data file (" + known + ")");
            throw Main.usage(spec, "invalid value for --target: '" + name + "' (known: " + String.join(", ", Targets.all().keySet())
                    + (DataTargets.all().isEmpty() ? "" : "; with --data: " + String.join(", ", DataTargets.all().keySet())) + ")");
        }
        try {
            Target t = DataTargets.create(name, data, response);
            Table table = Csv.read(data);   // read again for the warnings: the factory has already accepted the file
            for (String w : table.warnings(table.columnIndex(response))) spec.commandLine().getErr().println("sivi: warning: " + data + ": " + w);
            return t;
        } catch (DataException e) {
            throw new Main.UserFailure(e.getMessage(), e);   // names the file, line and column already
        }
    }
}
