package sivi.cli;

import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/** How draws are written: plain CSV, CmdStan-style CSV (for ArviZ/cmdstanpy), or NumPy .npy. */
enum SampleFormat {
    CSV("samples.csv"), CMDSTAN("samples.cmdstan.csv"), NPY("samples.npy");

    private final String defaultFileName;

    SampleFormat(String defaultFileName) { this.defaultFileName = defaultFileName; }

    String defaultFileName() { return defaultFileName; }

    String label() { return name().toLowerCase(Locale.ROOT); }

    static SampleFormat parse(CommandSpec spec, String flag, String s) {
        for (SampleFormat f : values()) if (f.label().equalsIgnoreCase(s)) return f;
        throw Main.usage(spec, "invalid value for " + flag + ": '" + s + "' (accepted: csv, cmdstan, npy)");
    }

    /** The format a file name implies when none is given: .npy is NumPy, anything else plain CSV. */
    static SampleFormat fromFileName(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy") ? NPY : CSV;
    }
}
