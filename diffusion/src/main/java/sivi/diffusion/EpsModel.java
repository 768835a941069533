package sivi.diffusion;

import sivi.tensor.Tensor;

/** A noise prediction ε(x, t) evaluated without a graph: x is N×d, t one time per row (DDPM steps). */
@FunctionalInterface
public interface EpsModel {
    Tensor eps(Tensor x, double[] t);
}
