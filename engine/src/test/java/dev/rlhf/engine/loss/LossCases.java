package dev.rlhf.engine.loss;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.Map;
import java.util.function.BiFunction;

/** Each golden case of make_golden.py as the engine builds it, by input name. */
final class LossCases {
    private LossCases() {
    }

    static final Map<String, BiFunction<Ops, Map<String, Value>, Value>> CASES = Map.ofEntries(
            Map.entry("token_ce", (o, in) -> TokenCrossEntropy.loss(o, in.get("logits"), in.get("targets"), in.get("mask"))),
            Map.entry("sequence_logprobs", (o, in) -> SequenceLogProbs.of(o, in.get("logits"), in.get("targets"), in.get("mask"))),
            Map.entry("bradley_terry", (o, in) -> BradleyTerryLoss.loss(o, in.get("chosen"), in.get("rejected"), in.get("margin"))),
            Map.entry("dpo", (o, in) -> new DpoLoss(0.1).loss(o, pair(in))),
            Map.entry("conservative_dpo", (o, in) -> new ConservativeDpoLoss(0.1, 0.1).loss(o, pair(in))),
            Map.entry("ipo", (o, in) -> new IpoLoss(0.1).loss(o, pair(in))),
            Map.entry("kto", (o, in) -> new KtoLoss(0.1, 1.0, 1.33).loss(o, in.get("policy"), in.get("reference"),
                    in.get("desirable"), in.get("reference_point"))),
            Map.entry("ppo", (o, in) -> new PpoLoss(0.2, 0.2, 0.5, 0.05).loss(o, new PpoLoss.Batch(
                    in.get("log_probs"), in.get("old_log_probs"), in.get("reference_log_probs"), in.get("advantages"),
                    in.get("values"), in.get("old_values"), in.get("returns"), in.get("mask")))),
            Map.entry("group_advantages", (o, in) -> GroupAdvantages.of(o, in.get("rewards"), 1e-4)),
            Map.entry("grpo", (o, in) -> new GrpoLoss(0.2, 0.04).loss(o, in.get("log_probs"), in.get("old_log_probs"),
                    in.get("reference_log_probs"), in.get("advantages"), in.get("mask"))));

    private static PreferencePair pair(Map<String, Value> in) {
        return new PreferencePair(in.get("policy_chosen"), in.get("policy_rejected"),
                in.get("reference_chosen"), in.get("reference_rejected"));
    }
}
