package sivi.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sivi.fit.Registry;

/** {@code sivi help [COMMAND|METHOD]}: a command's usage, or a method's options and presets (as {@code sivi methods METHOD}). */
@Command(name = "help", helpCommand = true, description = "Show the usage of a command ('sivi help fit') or the options and presets of a method ('sivi help ksivi').")
final class HelpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "COMMAND|METHOD", description = "A command or a method name.")
    String topic;

    @Override public Integer call() {
        CommandLine root = spec.parent().commandLine();
        var out = spec.commandLine().getOut();
        if (topic == null) root.usage(out);
        else if (root.getSubcommands().containsKey(topic)) root.getSubcommands().get(topic).usage(out);
        else if (Registry.find(topic).isPresent()) MethodsCommand.print(out, Registry.descriptor(topic));
        else throw Main.usage(spec, "unknown command or method '" + topic + "' (commands: " + String.join(", ", root.getSubcommands().entrySet().stream()
                    .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden()).map(java.util.Map.Entry::getKey).toList())
                    + "; methods: " + String.join(", ", Registry.methods().keySet()) + ")");
        return Main.OK;
    }
}
