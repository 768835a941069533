package sivi.targets;

import java.util.List;

/**
 * Targets contributed by a module outside this one (e.g. sivi-posteriordb), found with
 * {@link java.util.ServiceLoader} (META-INF/services/sivi.targets.TargetProvider). {@link Targets}
 * asks the providers once, lazily: on the first listing or the first lookup of a name it does not know.
 */
public interface TargetProvider {
    /** The entries this provider adds, in listing order; their factories should build lazily. */
    List<Targets.Entry> targets();
}
