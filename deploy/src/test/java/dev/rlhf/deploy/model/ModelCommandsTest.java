package dev.rlhf.deploy.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.deploy.Rlhf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./rlhf generate} and {@code ./rlhf convert} run as the launcher runs them, on real model files. */
class ModelCommandsTest {

    /** A tiny random Llama saved by transformers as a sharded float16 folder with tokenizer and chat template. */
    static final Path TINY_LLAMA = Path.of("../engine/src/test/resources/weights/tiny-llama-f16");
    /** A tiny random GPT-2 converted to GGUF with its vocabulary. */
    static final Path TINY_GPT2_GGUF = Path.of("../engine/src/test/resources/weights/tiny-gpt2.gguf");

    record Run(int exit, String out, String err) {
    }

    static Run rlhf(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = Rlhf.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aConvertedFolderGeneratesExactlyWhatItsSourceGenerates(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("tiny");
        Run convert = rlhf("convert", TINY_LLAMA.toString(), out.toString());
        assertEquals(0, convert.exit(), convert.err());
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "model.onnx", "metadata.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " written");
        }
        JsonNode meta = new ObjectMapper().readTree(out.resolve("metadata.json").toFile());
        assertEquals("policy", meta.get("kind").asText());
        assertEquals("HF_FOLDER", meta.at("/lineage/sourceFormat").asText());
        assertFalse(Files.exists(tmp.resolve(".tiny.converting")), "no staging folder left behind");

        String[] greedy = {"--prompt", "hello world", "--max-new-tokens", "12", "--show-tokens"};
        Run fromSource = rlhf(concat(new String[] {"generate", "--model", TINY_LLAMA.toString()}, greedy));
        Run fromConverted = rlhf(concat(new String[] {"generate", "--model", out.toString()}, greedy));
        assertEquals(0, fromSource.exit(), fromSource.err());
        assertEquals(0, fromConverted.exit(), fromConverted.err());
        assertEquals(fromSource.out(), fromConverted.out());
        assertEquals(tokenLines(fromSource.err()), tokenLines(fromConverted.err()));
        assertFalse(tokenLines(fromSource.err()).isEmpty(), "at least one token generated");
    }

    @Test
    void theSameSeedGivesTheSameTextAndAnotherSeedDiffers() {
        String[] base = {"generate", "--model", TINY_GPT2_GGUF.toString(), "--prompt", "the cat", "--max-new-tokens", "16",
                "--temperature", "1.5", "--show-tokens"};
        Run a = rlhf(concat(base, new String[] {"--seed", "7"}));
        Run b = rlhf(concat(base, new String[] {"--seed", "7"}));
        Run c = rlhf(concat(base, new String[] {"--seed", "8"}));
        assertEquals(0, a.exit(), a.err());
        assertEquals(tokenLines(a.err()), tokenLines(b.err()));
        assertFalse(tokenLines(a.err()).equals(tokenLines(c.err())), "seeds 7 and 8 drew the same 16 tokens at temperature 1.5");
    }

    @Test
    void badInputIsOneLineNamingTheProblem(@TempDir Path tmp) throws Exception {
        Run missing = rlhf("generate", "--model", tmp.resolve("nothing-here").toString(), "--prompt", "hi");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("rlhf generate: no model at "), missing.err());
        assertFalse(missing.err().contains("\tat "), "no stack trace");

        Files.createDirectories(tmp.resolve("taken"));
        Run exists = rlhf("convert", TINY_LLAMA.toString(), tmp.resolve("taken").toString());
        assertEquals(1, exists.exit());
        assertTrue(exists.err().contains("already exists"), exists.err());

        Run noChat = rlhf("generate", "--model", TINY_GPT2_GGUF.toString(), "--prompt", "hi", "--chat");
        assertEquals(2, noChat.exit(), noChat.err());
        assertTrue(noChat.err().contains("no chat template"), noChat.err());

        Run topPAlone = rlhf("generate", "--model", TINY_GPT2_GGUF.toString(), "--prompt", "hi", "--top-p", "0.9");
        assertEquals(2, topPAlone.exit());
        assertTrue(topPAlone.err().contains("--temperature"), topPAlone.err());
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "RLHF_SMOLLM2_GGUF", matches = ".+")
    void smolLm2AnswersTheCapitalOfFranceWithParis() {
        Run run = rlhf("generate", "--model", System.getenv("RLHF_SMOLLM2_GGUF"), "--chat",
                "--prompt", "What is the capital of France?", "--max-new-tokens", "24", "--greedy");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("Paris"), run.out());
    }

    private static List<String> tokenLines(String err) {
        return err.lines().filter(l -> l.startsWith("  ")).toList();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
