package dev.rlhf.engine.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A model's Jinja {@code chat_template} rendered with Jinjava, configured like transformers'
 * {@code apply_chat_template} (trim_blocks, lstrip_blocks; {@code messages},
 * {@code add_generation_prompt} and the special token strings as variables). A template that
 * Jinjava reports errors for fails with those errors instead of rendering partially.
 */
public final class ChatTemplate {
    /** ChatML, the format SmolLM2 and Qwen use, for models that ship no template. */
    public static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n'"
            + " + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    private static final Jinjava JINJA = new Jinjava(JinjavaConfig.newBuilder()
            .withTrimBlocks(true).withLstripBlocks(true).withFailOnUnknownTokens(false).build());

    static {
        // transformers gives templates raise_exception(message) to refuse a conversation (e.g. roles out of order)
        JINJA.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
    }

    /** The message of a raise_exception call during the current render (Jinjava wraps the exception itself). */
    private static final ThreadLocal<String> RAISED = new ThreadLocal<>();

    /** Called by templates through {@code raise_exception}; public only so Jinjava can reach it. */
    public static String raiseException(String message) {
        RAISED.set(message);
        throw new IllegalArgumentException(message);
    }

    private final String source;
    private final SpecialTokens specials;

    private ChatTemplate(String source, SpecialTokens specials) {
        this.source = source;
        this.specials = specials;
    }

    public static ChatTemplate of(String jinjaSource, SpecialTokens specials) {
        return new ChatTemplate(jinjaSource, specials);
    }

    public static ChatTemplate chatMl() {
        return new ChatTemplate(CHATML, SpecialTokens.none());
    }

    public String source() {
        return source;
    }

    /** The prompt text for {@code messages}; with {@code addGenerationPrompt}, ends where the assistant's reply begins. */
    public String apply(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> turns = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", m.role());
            turn.put("content", m.content());
            turns.add(turn);
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("messages", turns);
        vars.put("add_generation_prompt", addGenerationPrompt);
        specials.bosToken().ifPresent(t -> vars.put("bos_token", t));
        specials.eosToken().ifPresent(t -> vars.put("eos_token", t));
        specials.padToken().ifPresent(t -> vars.put("pad_token", t));
        specials.unkToken().ifPresent(t -> vars.put("unk_token", t));
        RAISED.remove();
        RenderResult result = JINJA.renderForResult(source, vars);
        String raised = RAISED.get();
        RAISED.remove();
        if (raised != null) throw new IllegalArgumentException("chat template refused the conversation: " + raised);
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).collect(Collectors.toList());
        if (!fatal.isEmpty()) {
            throw new IllegalArgumentException("chat template cannot be rendered: " + fatal.stream()
                    .map(e -> e.getMessage() + " (line " + e.getLineno() + ")").collect(Collectors.joining("; ")));
        }
        return result.getOutput();
    }
}
