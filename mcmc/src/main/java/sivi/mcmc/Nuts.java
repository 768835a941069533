package sivi.mcmc;

import sivi.kernels.Rng;

/**
 * The No-U-Turn sampler in its multinomial form, as Stan implements it (Betancourt 2017, "A
 * conceptual introduction to Hamiltonian Monte Carlo", arXiv:1701.02434, appendix A; Hoffman &amp;
 * Gelman 2014 for the tree doubling):
 * <ul>
 *   <li>the trajectory doubles forward or backward with probability 1/2 until a U-turn, a
 *       divergence (H - H0 &gt; 1000) or {@code maxTreeDepth} doublings;</li>
 *   <li>within a subtree, points are drawn multinomially with weights exp(-H); at the top level the
 *       new subtree's proposal replaces the current one with probability
 *       min(1, w_new / w_old) (biased progressive sampling), which favours later points;</li>
 *   <li>the generalised U-turn criterion uses the sum of momenta rho over a (sub)trajectory and the
 *       velocities p# = M^-1 p at its ends: continue while p#_minus . rho &gt; 0 and p#_plus . rho &gt; 0,
 *       checked on every subtree and, as Stan does since 2.23, also on the two merged
 *       sub-trajectories extended by one point of the other half;</li>
 *   <li>the acceptance statistic for adaptation is the mean over all leapfrog points of
 *       min(1, exp(H0 - H)).</li>
 * </ul>
 * Warm-up: see {@link ChainRunner} (dual averaging, Stan's windowed diagonal metric).
 *
 * <p>As implemented: docs/algorithms.md#nuts.
 *
 * @param warmup        warm-up iterations per chain (discarded)
 * @param draws         kept iterations per chain
 * @param chains        number of chains
 * @param threads       worker threads (results do not depend on it)
 * @param maxTreeDepth  maximum number of doublings (Stan: 10)
 * @param targetAccept  dual-averaging target delta (Stan: 0.8)
 */
public record Nuts(int warmup, int draws, int chains, int threads, int maxTreeDepth, double targetAccept) implements Sampler {

    public Nuts {
        if (warmup < 0 || draws < 1 || chains < 1 || threads < 1 || maxTreeDepth < 1 || !(targetAccept > 0 && targetAccept < 1))
            throw new IllegalArgumentException("bad NUTS settings: " + warmup + ", " + draws + ", " + chains + ", " + threads + ", " + maxTreeDepth + ", " + targetAccept);
    }

    /** Stan's defaults: 1000 warm-up, 1000 draws, 4 chains, tree depth 10, delta 0.8; one thread. */
    public static Nuts defaults() { return new Nuts(1000, 1000, 4, 1, 10, 0.8); }

    public Nuts withWarmup(int w) { return new Nuts(w, draws, chains, threads, maxTreeDepth, targetAccept); }
    public Nuts withDraws(int n) { return new Nuts(warmup, n, chains, threads, maxTreeDepth, targetAccept); }
    public Nuts withChains(int c) { return new Nuts(warmup, draws, c, threads, maxTreeDepth, targetAccept); }
    public Nuts withThreads(int t) { return new Nuts(warmup, draws, chains, t, maxTreeDepth, targetAccept); }
    public Nuts withMaxTreeDepth(int m) { return new Nuts(warmup, draws, chains, threads, m, targetAccept); }
    public Nuts withTargetAccept(double a) { return new Nuts(warmup, draws, chains, threads, maxTreeDepth, a); }

    @Override
    public McmcResult sample(LogDensityGradient target, double[][] inits, Rng rng, Keep keep) {
        if (inits.length != chains) throw new IllegalArgumentException(inits.length + " initial points for " + chains + " chains");
        return ChainRunner.run(new Kernel(maxTreeDepth), target, inits, rng, warmup, draws, threads, targetAccept, true, keep);
    }

    /** The NUTS transition; holds no state between calls, so one instance serves all chains. */
    static final class Kernel implements Transition {
        private final int maxDepth;

        Kernel(int maxDepth) { this.maxDepth = maxDepth; }

        /** Per-transition scratch: the running leapfrog count, Metropolis sum and divergence flag. */
        private static final class Walk {
            final LogDensityGradient target; final double[] invMetric; final double eps; final double h0; final Rng rng;
            int leapfrogs; double sumMetroProb; boolean divergent;

            Walk(LogDensityGradient target, double[] invMetric, double eps, double h0, Rng rng) {
                this.target = target; this.invMetric = invMetric; this.eps = eps; this.h0 = h0; this.rng = rng;
            }
        }

        @Override
        public Stats step(LogDensityGradient target, PhasePoint z, double eps, double[] invMetric, Rng rng) {
            int d = z.q.length;
            z.sampleMomentum(rng, invMetric);
            Walk w = new Walk(target, invMetric, eps, z.hamiltonian(invMetric), rng);
            PhasePoint zFwd = z.copy(), zBck = z.copy(), zSample = z.copy(), zPropose = z.copy();
            double[] pSharp = new double[d];
            z.velocity(invMetric, pSharp);
            double[] pSharpFwdFwd = pSharp.clone(), pSharpFwdBck = pSharp.clone(), pSharpBckFwd = pSharp.clone(), pSharpBckBck = pSharp.clone();
            double[] pFwdFwd = z.p.clone(), pFwdBck = z.p.clone(), pBckFwd = z.p.clone(), pBckBck = z.p.clone();
            double[] rho = z.p.clone();
            double logSumWeight = 0; // log exp(H0 - H0)
            int depth = 0;
            while (depth < maxDepth) {
                double[] rhoFwd = new double[d], rhoBck = new double[d];
                double[] logSumWeightSubtree = {Double.NEGATIVE_INFINITY};
                boolean valid;
                if (w.rng.nextDouble() > 0.5) {
                    // The old trajectory becomes the backward half: its forward end is the old forward end.
                    System.arraycopy(rho, 0, rhoBck, 0, d);
                    System.arraycopy(pFwdFwd, 0, pBckFwd, 0, d);
                    System.arraycopy(pSharpFwdFwd, 0, pSharpBckFwd, 0, d);
                    valid = buildTree(w, depth, zFwd, zPropose, pSharpFwdBck, pSharpFwdFwd, rhoFwd, pFwdBck, pFwdFwd, +1, logSumWeightSubtree);
                } else {
                    // The old trajectory becomes the forward half: its backward end is the old backward end.
                    System.arraycopy(rho, 0, rhoFwd, 0, d);
                    System.arraycopy(pBckBck, 0, pFwdBck, 0, d);
                    System.arraycopy(pSharpBckBck, 0, pSharpFwdBck, 0, d);
                    valid = buildTree(w, depth, zBck, zPropose, pSharpBckFwd, pSharpBckBck, rhoBck, pBckFwd, pBckBck, -1, logSumWeightSubtree);
                }
                if (!valid) break;
                depth++;
                // Biased progressive sampling at the top level (Betancourt 2017, A.3.2).
                if (logSumWeightSubtree[0] > logSumWeight) zSample.copyFrom(zPropose);
                else if (w.rng.nextDouble() < Math.exp(logSumWeightSubtree[0] - logSumWeight)) zSample.copyFrom(zPropose);
                logSumWeight = logSumExp(logSumWeight, logSumWeightSubtree[0]);
                for (int i = 0; i < d; i++) rho[i] = rhoBck[i] + rhoFwd[i];
                boolean persist = uTurnFree(pSharpBckBck, pSharpFwdFwd, rho);
                double[] ext = new double[d];
                for (int i = 0; i < d; i++) ext[i] = rhoBck[i] + pFwdBck[i];
                persist &= uTurnFree(pSharpBckBck, pSharpFwdBck, ext);
                for (int i = 0; i < d; i++) ext[i] = rhoFwd[i] + pBckFwd[i];
                persist &= uTurnFree(pSharpBckFwd, pSharpFwdFwd, ext);
                if (!persist) break;
            }
            z.copyFrom(zSample);
            double accept = w.leapfrogs > 0 ? w.sumMetroProb / w.leapfrogs : 0;
            return new Stats(accept, depth, w.leapfrogs, w.divergent, z.hamiltonian(invMetric));
        }

        /**
         * Builds a subtree of 2^depth leapfrog steps from {@code z} (advanced in place) in direction
         * {@code sign}. Writes the multinomial proposal into {@code propose}, the velocities and
         * momenta at its first and last points into pSharpBeg/pSharpEnd and pBeg/pEnd, adds the sum
         * of its momenta to {@code rho} and its log weight to logSumWeight[0]. Returns false on a
         * divergence or a U-turn inside the subtree.
         */
        private boolean buildTree(Walk w, int depth, PhasePoint z, PhasePoint propose, double[] pSharpBeg, double[] pSharpEnd,
                                  double[] rho, double[] pBeg, double[] pEnd, int sign, double[] logSumWeight) {
            int d = z.q.length;
            if (depth == 0) {
                z.leapfrog(w.target, sign * w.eps, w.invMetric);
                w.leapfrogs++;
                double h = z.hamiltonian(w.invMetric);
                if (h - w.h0 > MAX_ENERGY_ERROR) w.divergent = true;
                logSumWeight[0] = logSumExp(logSumWeight[0], w.h0 - h);
                w.sumMetroProb += w.h0 - h > 0 ? 1 : Math.exp(w.h0 - h);
                propose.copyFrom(z);
                z.velocity(w.invMetric, pSharpBeg);
                System.arraycopy(pSharpBeg, 0, pSharpEnd, 0, d);
                for (int i = 0; i < d; i++) rho[i] += z.p[i];
                System.arraycopy(z.p, 0, pBeg, 0, d);
                System.arraycopy(z.p, 0, pEnd, 0, d);
                return !w.divergent;
            }
            // First half.
            double[] logSumWeightInit = {Double.NEGATIVE_INFINITY};
            double[] pInitEnd = new double[d], pSharpInitEnd = new double[d], rhoInit = new double[d];
            if (!buildTree(w, depth - 1, z, propose, pSharpBeg, pSharpInitEnd, rhoInit, pBeg, pInitEnd, sign, logSumWeightInit))
                return false;
            // Second half.
            PhasePoint proposeFinal = z.copy();
            double[] logSumWeightFinal = {Double.NEGATIVE_INFINITY};
            double[] pFinalBeg = new double[d], pSharpFinalBeg = new double[d], rhoFinal = new double[d];
            if (!buildTree(w, depth - 1, z, proposeFinal, pSharpFinalBeg, pSharpEnd, rhoFinal, pFinalBeg, pEnd, sign, logSumWeightFinal))
                return false;
            // Multinomial sampling within the subtree.
            double logSumWeightSubtree = logSumExp(logSumWeightInit[0], logSumWeightFinal[0]);
            logSumWeight[0] = logSumExp(logSumWeight[0], logSumWeightSubtree);
            if (logSumWeightFinal[0] > logSumWeightSubtree) propose.copyFrom(proposeFinal);
            else if (w.rng.nextDouble() < Math.exp(logSumWeightFinal[0] - logSumWeightSubtree)) propose.copyFrom(proposeFinal);
            double[] rhoSubtree = new double[d], ext = new double[d];
            for (int i = 0; i < d; i++) { rhoSubtree[i] = rhoInit[i] + rhoFinal[i]; rho[i] += rhoSubtree[i]; }
            boolean persist = uTurnFree(pSharpBeg, pSharpEnd, rhoSubtree);
            for (int i = 0; i < d; i++) ext[i] = rhoInit[i] + pFinalBeg[i];
            persist &= uTurnFree(pSharpBeg, pSharpFinalBeg, ext);
            for (int i = 0; i < d; i++) ext[i] = rhoFinal[i] + pInitEnd[i];
            persist &= uTurnFree(pSharpInitEnd, pSharpEnd, ext);
            return persist;
        }

        /** Generalised no-U-turn criterion (Betancourt 2017, A.4.2): p#_minus . rho &gt; 0 and p#_plus . rho &gt; 0. */
        private static boolean uTurnFree(double[] pSharpMinus, double[] pSharpPlus, double[] rho) {
            double a = 0, b = 0;
            for (int i = 0; i < rho.length; i++) { a += pSharpPlus[i] * rho[i]; b += pSharpMinus[i] * rho[i]; }
            return a > 0 && b > 0;
        }
    }

    static double logSumExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        if (b == Double.NEGATIVE_INFINITY) return a;
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }
}
