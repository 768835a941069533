package sivi.amortised;

import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.tensor.DType;

import static sivi.autodiff.Ops.*;

/**
 * p(x | z) = Π_j Bernoulli(x_j; sigmoid(l_j(z))) with logits l = MLP(z) (tanh hidden layers), as in the
 * VAE experiments of Kingma and Welling (2014), Burda et al. (2016) and Sobolev and Vetrov (2019).
 * log p(x | z) = Σ_j x_j l_j − softplus(l_j).
 */
public record BernoulliDecoder(Mlp net) implements Decoder {

    /** Parameters "dec.*": sizes latent → hidden… → dim. */
    public static BernoulliDecoder create(Params params, int latent, int[] hidden, int dim, Rng rng, DType dt) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = latent;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = dim;
        return new BernoulliDecoder(Mlp.create(params, "dec", sizes, Activation.TANH, rng, dt));
    }

    @Override public int latent() { return net.in(); }

    @Override public int dim() { return net.out(); }

    @Override public Var logLikelihood(Params.Bound p, Var z, Var x) {
        int b = x.dim(0), dim = dim(), m = z.dim(0) / b;
        Var logits = reshape(net.forward(p, z), b, m, dim);
        Var terms = sub(mul(logits, reshape(x, b, 1, dim)), softplus(logits));
        return reshape(sum(terms, 2, false), b * m);
    }

    @Override public Var mean(Params.Bound p, Var z) { return sigmoid(net.forward(p, z)); }
}
