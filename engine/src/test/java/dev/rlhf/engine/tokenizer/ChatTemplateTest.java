package dev.rlhf.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.engine.weights.Golden;
import dev.rlhf.engine.weights.ModelFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SmolLM2's chat template rendered by Jinjava against transformers' apply_chat_template. */
public class ChatTemplateTest {
    @Test
    void smolLm2TemplateRendersLikeTransformers() throws IOException {
        ModelFiles files = ModelFiles.open(Golden.file("tiny-llama.gguf"));
        ChatTemplate template = files.chat().orElseThrow();
        try (Tokenizer tok = files.tokenizer()) {
            assertChatsMatch(Golden.json("tiny-llama-expected.json").get("chats"), template, tok);
        }
    }

    @Test
    void folderTemplateComesFromChatTemplateJinja() throws IOException {
        ModelFiles gguf = ModelFiles.open(Golden.file("tiny-llama.gguf"));
        ModelFiles folder = ModelFiles.open(Golden.file("tiny-llama-bf16"));
        assertEquals(gguf.chatTemplate().orElseThrow().strip(), folder.chatTemplate().orElseThrow().strip());
    }

    @Test
    void builtInChatMlHasTheImStartFormat() {
        String text = ChatTemplate.chatMl().apply(List.of(ChatMessage.system("S"), ChatMessage.user("U")), true);
        assertEquals("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n", text);
    }

    @Test
    void templateJinjavaCannotParseFailsClearly() {
        ChatTemplate broken = ChatTemplate.of("{% for m in messages %}{{ m['content'] }", SpecialTokens.none());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> broken.apply(List.of(ChatMessage.user("x")), true));
        assertEquals(true, e.getMessage().startsWith("chat template cannot be rendered"), e.getMessage());
    }

    @Test
    void raiseExceptionInATemplateRefusesTheConversationWithItsMessage() {
        ChatTemplate strict = ChatTemplate.of("{% for m in messages %}{% if m['role'] == 'system' %}"
                + "{{ raise_exception('System role not supported') }}{% endif %}{{ m['content'] }}{% endfor %}", SpecialTokens.none());
        assertEquals("hi", strict.apply(List.of(ChatMessage.user("hi")), false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.apply(List.of(ChatMessage.system("s"), ChatMessage.user("hi")), false));
        assertEquals(true, e.getMessage().contains("System role not supported"), e.getMessage());
    }

    public static void assertChatsMatch(JsonNode chats, ChatTemplate template, Tokenizer tok) {
        for (JsonNode chat : chats) {
            List<ChatMessage> messages = new ArrayList<>();
            for (JsonNode m : chat.get("messages")) messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
            String text = template.apply(messages, chat.get("add_generation_prompt").asBoolean());
            assertEquals(chat.get("text").asText(), text);
            assertArrayEquals(TokenizerGoldenTest.ints(chat.get("ids")), tok.encode(text, false), text);
        }
    }
}
