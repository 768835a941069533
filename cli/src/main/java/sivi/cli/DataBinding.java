package sivi.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import sivi.targets.Target;

/**
 * {@code --data FILE --response COL}: binds a data file to a data-driven target. No registered
 * target takes a data file yet (the built-in data sets ship with their targets), so this only
 * validates the flags and explains; when the targets registry gains a data-aware factory, the
 * binding goes here and nowhere else.
 */
final class DataBinding {
    private DataBinding() {}

    static void check(CommandSpec spec, Target target, Path data, String response) {
        if (data == null) throw Main.usage(spec, "--response needs --data FILE.csv");
        if (response == null) throw Main.usage(spec, "--data needs --response COL (the response column)");
        if (!Files.isReadable(data)) throw Main.usage(spec, "invalid value for --data: " + data + " (no such readable file)");
        throw Main.usage(spec, "invalid value for --data: target '" + target.name() + "' does not take a data file (no data-driven target in this build accepts --data)");
    }
}
