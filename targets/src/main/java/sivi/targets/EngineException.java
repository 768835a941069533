package sivi.targets;

/**
 * A data engine could not evaluate the target (e.g. a Spark job that failed after Spark's own
 * retries). The trainer stops the fit as for a non-finite step, naming the last good checkpoint.
 */
public final class EngineException extends RuntimeException {
    public EngineException(String message, Throwable cause) { super(message, cause); }
}
