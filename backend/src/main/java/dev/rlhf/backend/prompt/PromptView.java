package dev.rlhf.backend.prompt;

import java.util.List;
import java.util.Map;
import java.util.UUID;

public record PromptView(UUID id, List<Message> messages, List<String> tags, String source,
                         List<CompletionView> completions) {

    public record CompletionView(UUID id, String text, ModelRef model, Map<String, Object> sampling,
                                 Integer tokenCount) {
        public static CompletionView of(Completion c) {
            return new CompletionView(c.id, c.text, new ModelRef(c.modelId, c.modelVersion, c.externalName),
                    c.sampling, c.tokenCount);
        }
    }

    public static PromptView of(Prompt p, List<Completion> completions) {
        return new PromptView(p.id, p.messages, p.tags, p.source,
                completions.stream().map(CompletionView::of).toList());
    }
}
