package sivi.repro;

import java.util.List;

/**
 * What {@code sivi repro} passes to an experiment. {@code seeds} = 0 means the experiment's own default;
 * empty lists select everything. An experiment declares which of seeds/posteriors/methods/standardize it honours
 * ({@link Experiments.Experiment#accepts}); the CLI refuses the others instead of ignoring them.
 */
public record ReproOptions(boolean quick, int seeds, List<String> posteriors, List<String> methods, boolean standardize) {
    public ReproOptions {
        if (seeds < 0) throw new IllegalArgumentException("--seeds must be at least 1");
        posteriors = List.copyOf(posteriors);
        methods = List.copyOf(methods);
    }

    public ReproOptions(boolean quick, int seeds, List<String> posteriors, List<String> methods) { this(quick, seeds, posteriors, methods, false); }

    public static ReproOptions of(boolean quick) { return new ReproOptions(quick, 0, List.of(), List.of()); }

    /** The seed count to use: the requested one, else the experiment's default. */
    public int seedsOr(int fallback) { return seeds > 0 ? seeds : fallback; }
}
