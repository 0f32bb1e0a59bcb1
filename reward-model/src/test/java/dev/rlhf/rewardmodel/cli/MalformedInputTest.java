package dev.rlhf.rewardmodel.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad files and options end in one line that names the problem (and the line), never a stack trace. */
class MalformedInputTest {

    private static final String GOOD = "{\"prompt\": \"hi\", \"chosen\": \"a1\", \"rejected\": \"b\"}";

    @Test
    void aMalformedLineIsNamedByItsNumber(@TempDir Path tmp) throws Exception {
        Path data = Files.write(tmp.resolve("pairs.jsonl"), List.of(GOOD, "", GOOD, "{\"prompt\": \"hi\", \"chosen\": \"a\"", GOOD));
        Console c = Console.run("train", "rm", "--data", data.toString(), "--model", tmp.toString(), "--out",
                tmp.resolve("out").toString());
        assertThat(c.exitCode()).isEqualTo(1);
        assertThat(c.err().strip()).isEqualTo("rlhf train rm: pairs.jsonl line 4: not valid JSON (Unexpected end-of-input: expected close marker for Object)").doesNotContain("\n")
                .doesNotContain("Exception");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void eachKindOfBadLineSaysWhatIsWrong() {
        assertThat(problem("[1, 2]")).isEqualTo("f.jsonl line 9: not a JSON object");
        assertThat(problem("{\"prompt\": \"p\", \"chosen\": \"a\"}")).isEqualTo("f.jsonl line 9: no \"rejected\" field");
        assertThat(problem("{\"chosen\": 3, \"rejected\": \"b\"}"))
                .isEqualTo("f.jsonl line 9: \"chosen\" is neither a text nor a list of messages");
        assertThat(problem("{\"prompt\": \"p\", \"chosen\": [{\"role\": \"assistant\", \"content\": \"a\"}], \"rejected\": \"b\"}"))
                .startsWith("f.jsonl line 9: mixes texts and message lists");
        assertThat(problem("{\"chosen\": [{\"role\": \"assistant\"}], \"rejected\": [{\"role\": \"assistant\", \"content\": \"b\"}]}"))
                .isEqualTo("f.jsonl line 9: message 1 of \"chosen\" is not an object with text \"role\" and \"content\"");
        assertThat(problem("{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\", \"margin\": \"big\"}"))
                .isEqualTo("f.jsonl line 9: \"margin\" is not a finite number");
    }

    @Test
    void conflictingOptionsAreAUsageError(@TempDir Path tmp) throws Exception {
        Path data = Files.write(tmp.resolve("pairs.jsonl"), List.of(GOOD));
        Console c = Console.run("train", "rm", "--data", data.toString(), "--model", tmp.toString(), "--out",
                tmp.resolve("out").toString(), "--full", "--lora-rank", "4");
        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.err()).contains("mutually exclusive");
    }

    @Test
    void aNonEmptyOutputFolderIsRefusedBeforeAnyWork(@TempDir Path tmp) throws Exception {
        Path data = Files.write(tmp.resolve("pairs.jsonl"), List.of(GOOD));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Console c = Console.run("train", "rm", "--data", data.toString(), "--model", tmp.toString(), "--out", out.toString());
        assertThat(c.exitCode()).isEqualTo(1);
        assertThat(c.err().strip()).isEqualTo("rlhf train rm: " + out + ": exists and is not empty; choose a new folder for --out");
        assertThat(out.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void aCommandWithoutItsSubcommandSaysWhichItExpects() {
        Console c = Console.run("train");
        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.err().strip()).isEqualTo("rlhf train: expected a subcommand: rm (see rlhf train --help)");
    }

    @Test
    void aMissingModelFolderForEvalIsNamed(@TempDir Path tmp) throws Exception {
        Path data = Files.write(tmp.resolve("pairs.jsonl"), List.of(GOOD));
        Console c = Console.run("eval", "rm", "--model", tmp.resolve("nope").toString(), "--data", data.toString());
        assertThat(c.exitCode()).isEqualTo(1);
        assertThat(c.err().strip()).isEqualTo("rlhf eval rm: " + tmp.resolve("nope")
                + ": no such folder (a reward model is a folder written by rlhf train rm)");
    }

    @Test
    void moreThanThreeDistinctMarginsAreRefusedRatherThanRounded() {
        List<TrlPair> pairs = List.of(new TrlPair(1, "", "a", "b", 0.5), new TrlPair(2, "", "a", "b", 1.0),
                new TrlPair(3, "", "a", "b", 1.5), new TrlPair(4, "", "a", "b", 2.0));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> MarginStrengths.of(pairs)))
                .isInstanceOf(CliFailure.class).hasMessageStartingWith("the data has 4 distinct non-zero margins");
    }

    private static String problem(String line) {
        try {
            TrlPreferences.parse(Path.of("f.jsonl"), 9, line);
        } catch (CliFailure e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + line);
    }
}
