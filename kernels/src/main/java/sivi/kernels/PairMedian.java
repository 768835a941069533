package sivi.kernels;

/**
 * The lower median of an N×M pairwise distance matrix and the first entry (row-major) that holds it, as
 * {@link Backend#pairwiseMedian} returns it; row = col = −1 when no entry equals the value (a NaN median: NaN
 * distances sort last, and NaN equals nothing).
 */
public record PairMedian(double value, int row, int col) {}
