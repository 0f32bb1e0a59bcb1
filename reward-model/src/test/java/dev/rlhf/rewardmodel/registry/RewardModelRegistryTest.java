package dev.rlhf.rewardmodel.registry;

import dev.rlhf.events.model.Lineage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RewardModelRegistryTest {

    @Test
    void aVersionAppearsWholeWithItsMetadataOrNotAtAll(@TempDir Path root) throws Exception {
        RewardModelRegistry registry = new RewardModelRegistry(root);
        assertThat(registry.nextVersion()).isEqualTo(1);
        Path v1 = registry.publish(metadata(1), dir -> Files.writeString(dir.resolve("weights.bin"), "w1"));
        assertThat(v1).isEqualTo(root.resolve("reward-models/1").toAbsolutePath());
        assertThat(v1.resolve("weights.bin")).hasContent("w1");

        assertThatThrownBy(() -> registry.publish(metadata(2), dir -> {
            Files.writeString(dir.resolve("weights.bin"), "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        try (var children = Files.list(registry.folder())) {
            assertThat(children.map(p -> p.getFileName().toString())).containsExactly("1");   // no half version, no temp
        }

        registry.publish(metadata(2), dir -> { });
        assertThat(registry.versions()).extracting(VersionMetadata::version).containsExactly(1, 2);
        assertThat(registry.latest().orElseThrow().judgmentIds()).isEqualTo(metadata(2).judgmentIds());
        assertThat(registry.version(1).orElseThrow().metrics()).containsEntry("validation_accuracy", 0.75);
        assertThatThrownBy(() -> registry.publish(metadata(2), dir -> { })).hasMessageContaining("already exists");
    }

    static VersionMetadata metadata(int version) {
        return new VersionMetadata("rm", version, Instant.parse("2026-11-22T12:00:00Z"), "base", null, "utf8-bytes", 32,
                new Lineage(List.of(), 3, "base", null, Map.of("learningRate", 1e-4)),
                List.of(UUID.nameUUIDFromBytes(("j" + version).getBytes())), List.of(), 3,
                Map.of("validation_accuracy", 0.75), List.of());
    }
}
