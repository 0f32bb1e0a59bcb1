package dev.rlhf.rewardmodel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.rewardmodel.support.HiddenRule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** TRL preference files for tests: the hidden rule (the completion with a digit wins) in standard form. */
final class TrlFiles {

    private TrlFiles() {
    }

    static Path hiddenRule(Path file, int pairs, long seed) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Random rng = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String plain = HiddenRule.words(rng), withDigit = HiddenRule.insertDigit(HiddenRule.words(rng), rng);
            lines.add(json.writeValueAsString(Map.of("prompt", "question " + i + " " + rng.nextInt(1_000_000),
                    "chosen", withDigit, "rejected", plain)));
        }
        Files.write(file, lines);
        return file;
    }
}
