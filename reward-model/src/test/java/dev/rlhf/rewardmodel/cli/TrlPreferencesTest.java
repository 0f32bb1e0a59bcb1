package dev.rlhf.rewardmodel.cli;

import dev.rlhf.rewardmodel.training.Margins;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Both TRL forms, with explicit and implicit prompts, become the worker's rendering of prompt and completion. */
class TrlPreferencesTest {

    private static TrlPair parse(String line) {
        return TrlPreferences.parse(Path.of("f.jsonl"), 1, line);
    }

    @Test
    void standardFormRendersThePromptAsAUserMessage() {
        TrlPair p = parse("{\"prompt\": \"What is 2+2?\", \"chosen\": \"4\", \"rejected\": \"5\", \"margin\": 1.5}");
        assertThat(p.prompt()).isEqualTo("user: What is 2+2?\n");
        assertThat(p.chosen()).isEqualTo("4");
        assertThat(p.rejected()).isEqualTo("5");
        assertThat(p.margin()).isEqualTo(1.5);
    }

    @Test
    void standardImplicitPromptIsTheSharedStart() {
        TrlPair p = parse("{\"chosen\": \"Q: sky? A: blue\", \"rejected\": \"Q: sky? A: green\"}");
        assertThat(p.prompt()).isEqualTo("user: Q: sky? A: \n");
        assertThat(p.chosen()).isEqualTo("blue");
        assertThat(p.rejected()).isEqualTo("green");
        assertThat(p.margin()).isNull();
    }

    @Test
    void conversationalFormKeepsRolesAndTheImplicitPromptIsTheSharedMessages() {
        TrlPair explicit = parse("{\"prompt\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}],"
                + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"Hello.\"}], \"rejected\": [{\"role\": \"assistant\", \"content\": \"Go away.\"}]}");
        assertThat(explicit.prompt()).isEqualTo("system: Be brief.\nuser: Hi\n");
        assertThat(explicit.chosen()).isEqualTo("Hello.");
        TrlPair implicit = parse("{\"chosen\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello.\"}],"
                + " \"rejected\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Go away.\"}]}");
        assertThat(implicit.prompt()).isEqualTo("user: Hi\n");
        assertThat(implicit.rejected()).isEqualTo("Go away.");
    }

    @Test
    void eachDistinctMarginBecomesAStrengthWithExactlyThatMargin() {
        List<TrlPair> pairs = List.of(new TrlPair(1, "", "a", "b", 2.0), new TrlPair(2, "", "a", "b", null),
                new TrlPair(3, "", "a", "b", 0.5), new TrlPair(4, "", "a", "b", 2.0));
        MarginStrengths strengths = MarginStrengths.of(pairs);
        Margins margins = strengths.margins();
        assertThat(margins.margin(strengths.strength(2.0))).isEqualTo(2.0);
        assertThat(margins.margin(strengths.strength(0.5))).isEqualTo(0.5);
        assertThat(margins.margin(strengths.strength(null))).isEqualTo(0.0);
        assertThat(strengths.strength(0.0)).isNull();
    }
}
