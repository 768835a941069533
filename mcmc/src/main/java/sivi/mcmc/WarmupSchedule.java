package sivi.mcmc;

import java.util.ArrayList;
import java.util.List;

/**
 * Stan's windowed warm-up schedule (Stan Reference Manual, "HMC algorithm parameters", automatic
 * parameter tuning): an initial fast interval (default 75 iterations) where only the step size
 * adapts, a series of slow windows (first 25 iterations, each next one twice as long, the last one
 * stretched to the start of the terminal interval) at the end of which the diagonal metric is
 * re-estimated, and a terminal fast interval (default 50) for the step size alone. If the three
 * defaults do not fit in the warm-up, Stan uses 15% / 75% / 10%; with fewer than 20 warm-up
 * iterations the metric is not adapted at all.
 *
 * @param windowEnds exclusive end iteration of each slow window, in order
 * @param windowStarts start iteration of each slow window
 */
record WarmupSchedule(int[] windowStarts, int[] windowEnds) {
    static final int INIT_BUFFER = 75, TERM_BUFFER = 50, BASE_WINDOW = 25;

    static WarmupSchedule of(int warmup) {
        if (warmup < 20) return new WarmupSchedule(new int[0], new int[0]);
        int init = INIT_BUFFER, term = TERM_BUFFER, base = BASE_WINDOW;
        if (init + base + term > warmup) {
            init = (int) (0.15 * warmup);
            term = (int) (0.1 * warmup);
            base = warmup - (init + term);
        }
        List<int[]> w = new ArrayList<>();
        int start = init, size = base, last = warmup - term;
        while (true) {
            int end = start + size;
            // Stan stretches a window when the following (twice as long) one would not fit.
            if (end + 2 * size > last) end = last;
            w.add(new int[] {start, end});
            if (end >= last) break;
            start = end;
            size *= 2;
        }
        return new WarmupSchedule(w.stream().mapToInt(a -> a[0]).toArray(), w.stream().mapToInt(a -> a[1]).toArray());
    }

    /** Index of the slow window containing iteration it, or -1. */
    int windowOf(int it) {
        for (int k = 0; k < windowEnds.length; k++) if (it >= windowStarts[k] && it < windowEnds[k]) return k;
        return -1;
    }

    boolean endsWindow(int it) {
        for (int e : windowEnds) if (it == e - 1) return true;
        return false;
    }
}
