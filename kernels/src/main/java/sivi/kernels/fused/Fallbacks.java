package sivi.kernels.fused;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import sivi.kernels.Backend;

/** Counts the calls that ran a fused op's twin instead of a native kernel, per backend name and op (process-wide). */
public final class Fallbacks {
    private Fallbacks() {}

    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    /** Records one twin call of {@code op} on {@code backend}. */
    public static void count(Backend backend, Fused op) {
        COUNTS.computeIfAbsent(backend.name() + "/" + op.label(), k -> new LongAdder()).increment();
    }

    /** Twin calls so far, keyed "backend/op" (sorted); empty when every fused call ran natively. */
    public static Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        COUNTS.forEach((k, v) -> { long n = v.sum(); if (n > 0) out.put(k, n); });
        return out;
    }

    public static void reset() { COUNTS.clear(); }
}
