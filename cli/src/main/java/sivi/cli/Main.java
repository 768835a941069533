package sivi.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code sivi} command. Exit codes: 0 success, 2 usage error (one line naming the bad flag or
 * value and the accepted ones), 1 runtime failure (one line; {@code --debug} adds the stack trace).
 *
 * <p>Adding a subcommand is one line in {@link #SUBCOMMANDS}.
 */
@Command(name = "sivi", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Semi-implicit variational inference in pure Java.",
        subcommands = {HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** The subcommands, in the order {@code sivi --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            FitCommand.class, SampleCommand.class, EvalCommand.class, McmcCommand.class, ReportCommand.class, TargetsCommand.class, MethodsCommand.class,
            DevicesCommand.class, ReproCommand.class, BenchCommand.class, AotTrainCommand.class);

    public static final int OK = 0, FAILURE = 1, USAGE = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** {@code sivi} alone: the usage on stderr and exit 2, as for any incomplete command line ({@code sivi --help} exits 0). */
    @Override public Integer call() { spec.commandLine().usage(spec.commandLine().getErr()); return USAGE; }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line in-process (what tests call) and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cl = commandLine(out, err, args);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println(prefix(ex.getCommandLine()) + usageLine(ex));
            if (debug) ex.printStackTrace(ex.getCommandLine().getErr());
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter w = c.getErr();
            // IllegalArgumentException is this code base's "bad input" (unknown names, bad option values,
            // a checkpoint from another run): the user can fix it by changing the command line.
            boolean usage = ex instanceof IllegalArgumentException;
            w.println(prefix(c) + (usage ? "" : "error: ") + oneLine(describe(ex)));
            if (debug) ex.printStackTrace(w);
            // a damaged checkpoint is the file's fault, as complete a message as a UserFailure: no --debug hint
            else if (!usage && !(ex instanceof UserFailure) && !(ex instanceof sivi.fit.TensorFile.CorruptFileException)) w.println("(run with --debug for the stack trace)");
            return usage ? USAGE : FAILURE;
        });
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return code;
    }

    /** Every subcommand in full (tests, and anything that inspects the whole command tree). */
    static CommandLine commandLine(PrintStream out, PrintStream err) { return commandLine(out, err, null); }

    /**
     * The command tree for one command line. Building a subcommand's model (picocli reflects over its
     * options) is most of the start-up time, so only the subcommands named among {@code args} are built in
     * full; the others are stubs with their name and description, enough for the top-level usage, "did you
     * mean" suggestions and the help listing. {@code args == null} builds everything.
     */
    static CommandLine commandLine(PrintStream out, PrintStream err, String[] args) {
        CommandLine cl = new CommandLine(new Main());
        java.util.Set<String> words = args == null ? null : new java.util.HashSet<>(Arrays.asList(args));   // args may repeat a word
        for (Class<?> sub : SUBCOMMANDS) {
            Command c = sub.getAnnotation(Command.class);
            // fresh instances: option fields hold one run's values
            if (words == null || words.contains(c.name())) cl.addSubcommand(sub);
            else cl.addSubcommand(c.name(), stub(c));
        }
        // 'sivi bench' hands everything after its command word to BenchTool, which parses its own options.
        cl.getSubcommands().get("bench").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /** A subcommand's name, description and visibility without its options (never run: see {@link #commandLine}). */
    private static CommandLine.Model.CommandSpec stub(Command c) {
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.create().name(c.name());
        spec.usageMessage().description(c.description()).hidden(c.hidden());
        return spec;
    }

    /** "sivi fit: " for a subcommand, "sivi: " for the top level. */
    private static String prefix(CommandLine c) { return c.getParent() == null ? "sivi: " : "sivi " + c.getCommandName() + ": "; }

    /** picocli's message, with the accepted values or a pointer to them where picocli leaves them out. */
    private static String usageLine(ParameterException ex) {
        String m = oneLine(ex.getMessage());
        // picocli says "'x' is not an int" (or a long); digits only means the number does not fit
        java.util.regex.Matcher big = java.util.regex.Pattern.compile("'([+-]?\\d+)' is not an? (int|long)\\b").matcher(m);
        if (big.find()) {
            boolean isInt = big.group(2).equals("int"), negative = big.group(1).startsWith("-");
            String limit = negative ? "too small (at least " + (isInt ? Integer.MIN_VALUE : Long.MIN_VALUE) : "too large (at most " + (isInt ? Integer.MAX_VALUE : Long.MAX_VALUE);
            m = m.substring(0, big.start()) + "'" + big.group(1) + "' is " + limit + ")" + m.substring(big.end());
        }
        m = m.replaceAll("is not an? (int|long)\\b", "is not an integer");
        String help = "'" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'";
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> s = u.getSuggestions();
            return m + (s.isEmpty() ? "" : " (did you mean " + String.join(" or ", s) + "?)") + "; see " + help + " for the accepted options";
        }
        if (ex instanceof CommandLine.MissingParameterException) return m + "; see " + help;
        return m;
    }

    private static String describe(Throwable ex) {
        // new UncheckedIOException(e) carries "java.io.IOException: …" as its message: say the cause's words
        if (ex instanceof java.io.UncheckedIOException u && u.getCause() != null && u.getMessage().equals(u.getCause().toString())) return describe(u.getCause());
        String m = ex.getMessage();
        if (ex instanceof java.nio.file.NoSuchFileException) return "no such file: " + m;
        if (ex instanceof java.nio.file.AccessDeniedException) return "permission denied: " + m;
        if (m == null || m.isBlank()) return ex.getClass().getSimpleName();
        return m;
    }

    /** picocli messages sometimes span lines; the contract is one line. */
    static String oneLine(String s) { return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " "); }

    /** A runtime failure whose message is complete on its own (no hint about --debug). */
    static final class UserFailure extends RuntimeException {
        UserFailure(String message, Throwable cause) { super(message, cause); }
        UserFailure(String message) { super(message); }
    }

    /** A usage error raised after parsing (e.g. an unknown target name), reported like picocli's own. */
    static ParameterException usage(CommandLine.Model.CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sivi " + (v == null ? "(development build)" : v),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
