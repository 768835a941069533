package sivi.fit;

/**
 * A named recipe: a method on a target with the reference hyper-parameters (e.g. "ksivi-banana")
 * and the reference iteration count; {@code source} says where the numbers come from.
 */
public record Preset(String name, String method, String target, int iterations, Options options, String source) {}
