package sivi.fit;

/** Receives progress of a fit (the CLI draws a bar or prints lines; the Java API default is silent). */
public interface Progress {
    /** Called after each iteration (cheap calls; implementations throttle their own output). */
    void iteration(int iteration, int total, double objective, double elapsedSeconds);

    /**
     * Called once, before the first iteration, when a fit continues from a checkpoint at {@code iteration}:
     * the iterations before it were not run by this process, so rates and ETAs must not count them.
     */
    default void resumed(int iteration) {}

    /** A message worth telling the user (checkpoint written, resumed, skipped step). */
    default void note(String message) {}

    Progress SILENT = (i, t, o, e) -> {};
}
