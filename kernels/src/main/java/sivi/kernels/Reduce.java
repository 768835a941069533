package sivi.kernels;

/** Reductions along one axis. LOGSUMEXP is stable: max-shifted, −∞ entries allowed, all −∞ gives −∞. */
public enum Reduce { SUM, MEAN, MAX, LOGSUMEXP }
