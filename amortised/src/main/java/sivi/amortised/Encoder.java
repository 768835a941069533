package sivi.amortised;

/** An amortised variational posterior q(z | x). */
public sealed interface Encoder permits GaussianEncoder, SemiImplicitEncoder {
    int latent();
}
