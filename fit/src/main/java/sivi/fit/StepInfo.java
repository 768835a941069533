package sivi.fit;

import java.util.Map;

/**
 * Diagnostics of one iteration (not carried between steps): the objective the method minimises
 * and optional named extras (e.g. the critic loss of SIVI-SM).
 */
public record StepInfo(double objective, Map<String, Double> extras) {
    public static StepInfo of(double objective) { return new StepInfo(objective, Map.of()); }
}
