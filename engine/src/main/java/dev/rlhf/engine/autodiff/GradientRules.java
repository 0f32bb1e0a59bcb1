package dev.rlhf.engine.autodiff;

import java.util.HashMap;
import java.util.Map;

/** The registry of backward rules, by ONNX operator type. */
final class GradientRules {
    private GradientRules() {
    }

    static Map<String, GradientRule> all() {
        Map<String, GradientRule> rules = new HashMap<>();
        ElementwiseGradients.register(rules);
        LinearAlgebraGradients.register(rules);
        NormalizationGradients.register(rules);
        ReductionGradients.register(rules);
        ShapeGradients.register(rules);
        return rules;
    }
}
