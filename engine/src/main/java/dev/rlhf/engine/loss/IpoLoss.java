package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;

/** Identity Preference Optimisation (Azar et al. 2023): mean of (h - 1 / (2 tau))^2, which does not saturate. */
public record IpoLoss(double tau) {
    public Value loss(Ops o, PreferencePair pair) {
        Value gap = o.add(pair.logRatioMargin(o), -1.0 / (2 * tau));
        return o.meanAll(o.mul(gap, gap));
    }
}
