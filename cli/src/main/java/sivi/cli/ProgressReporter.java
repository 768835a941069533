package sivi.cli;

import java.io.PrintWriter;
import sivi.fit.Progress;

/**
 * Progress on stderr: a redrawn bar (iterations/s, ETA, objective) when stderr is a terminal, plain
 * lines every 10% or 10 s otherwise (logs, CI), nothing with --quiet. The launcher tells us whether
 * stderr is a terminal ({@code -Dsivi.stderr.tty}); without it we ask {@link System#console()}.
 */
abstract class ProgressReporter implements Progress {
    final PrintWriter err;
    /** The iteration a resumed fit started from: rates count only this process's iterations. */
    int resumedAt;

    ProgressReporter(PrintWriter err) { this.err = err; }

    @Override public void resumed(int iteration) { resumedAt = iteration; }

    static ProgressReporter create(PrintWriter err, boolean quiet) {
        if (quiet) return new ProgressReporter(err) {
            @Override public void iteration(int i, int total, double objective, double elapsed) {}
        };
        return stderrIsTerminal() ? new Bar(err) : new Lines(err);
    }

    static boolean stderrIsTerminal() {
        String p = System.getProperty("sivi.stderr.tty");
        if (p != null) return p.equals("1") || p.equals("true");
        var c = System.console();
        return c != null && c.isTerminal();
    }

    @Override public void note(String message) { err.println("sivi: " + message); err.flush(); }

    /** Ends the bar's line (the fit is over). */
    void finish() {}

    static String duration(double s) {
        if (!Double.isFinite(s)) return "?";
        long t = Math.round(s);
        return t >= 3600 ? String.format("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String.format("%d:%02d", t / 60, t % 60);
    }

    static final class Bar extends ProgressReporter {
        private long lastDraw;
        private boolean drawn;

        Bar(PrintWriter err) { super(err); }

        @Override public void iteration(int i, int total, double objective, double elapsed) {
            long now = System.nanoTime();
            if (i < total && now - lastDraw < 100_000_000L) return;   // redraw at most 10 times a second
            lastDraw = now;
            drawn = true;
            double frac = total == 0 ? 1 : (double) i / total, rate = (i - resumedAt) / Math.max(elapsed, 1e-9);
            int width = 30, full = (int) Math.round(frac * width);
            String bar = "#".repeat(full) + "-".repeat(width - full);
            err.print(String.format("\r[%s] %3.0f%% %d/%d  %.0f it/s  ETA %s  objective %.4g   ",
                    bar, 100 * frac, i, total, rate, duration((total - i) / rate), objective));
            err.flush();
        }

        @Override public void note(String message) { if (drawn) err.println(); drawn = false; super.note(message); }

        @Override void finish() { if (drawn) { err.println(); err.flush(); } drawn = false; }
    }

    static final class Lines extends ProgressReporter {
        private int lastDecile = 0;
        private double lastTime = 0;

        Lines(PrintWriter err) { super(err); }

        @Override public void iteration(int i, int total, double objective, double elapsed) {
            int decile = total == 0 ? 10 : (int) (10L * i / total);
            if (decile <= lastDecile && elapsed - lastTime < 10) return;
            lastDecile = Math.max(lastDecile, decile);
            lastTime = elapsed;
            double rate = (i - resumedAt) / Math.max(elapsed, 1e-9);
            err.println(String.format("sivi: iteration %d/%d (%.0f%%)  %.0f it/s  ETA %s  objective %.4g",
                    i, total, total == 0 ? 100.0 : 100.0 * i / total, rate, duration((total - i) / rate), objective));
            err.flush();
        }
    }
}
