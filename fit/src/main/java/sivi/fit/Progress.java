package sivi.fit;

/** Receives progress of a fit (the CLI draws a bar or prints lines; the Java API default is silent). */
public interface Progress {
    /** Called after each iteration (cheap calls; implementations throttle their own output). */
    void iteration(int iteration, int total, double objective, double elapsedSeconds);

    /** A message worth telling the user (checkpoint written, resumed, skipped step). */
    default void note(String message) {}

    Progress SILENT = (i, t, o, e) -> {};
}
