package dev.rlhf.rewardmodel.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The reward-model part of the model registry: {@code <root>/reward-models/<version>/}, each version
 * written into a hidden temporary folder and renamed into place, so a reader sees a whole version or none.
 */
public final class RewardModelRegistry {
    public static final String KIND = "reward-models";
    public static final String METADATA = "metadata.json";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private final Path folder;

    public RewardModelRegistry(Path root) {
        this.folder = root.resolve(KIND).toAbsolutePath().normalize();
    }

    /** Writes the files of a version into a folder given to it. */
    @FunctionalInterface
    public interface VersionWriter {
        void write(Path folder) throws IOException;
    }

    public Path folder() {
        return folder;
    }

    public Path path(int version) {
        return folder.resolve(Integer.toString(version));
    }

    /**
     * Writes a version: the writer's files, then {@code metadata.json}, then one rename. Fails if the
     * version exists (versions are immutable).
     */
    public Path publish(VersionMetadata metadata, VersionWriter files) throws IOException {
        Files.createDirectories(folder);
        return writeFolder(path(metadata.version()), metadata, files);
    }

    /**
     * Writes a version folder anywhere (an offline run's output): files, then {@code metadata.json}, in a
     * hidden sibling folder renamed to {@code target} at the end. Fails if {@code target} exists.
     */
    public static Path writeFolder(Path target, VersionMetadata metadata, VersionWriter files) throws IOException {
        target = target.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new IllegalStateException("reward model version " + metadata.version() + " already exists at " + target);
        }
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(".tmp-" + target.getFileName() + "-" + UUID.randomUUID());
        Files.createDirectory(tmp);
        try {
            files.write(tmp);
            JSON.writeValue(tmp.resolve(METADATA).toFile(), metadata);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /** Every complete version, oldest first. */
    public List<VersionMetadata> versions() {
        if (!Files.isDirectory(folder)) return List.of();
        List<VersionMetadata> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(folder)) {
            for (Path dir : children.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                Path file = dir.resolve(METADATA);
                if (Files.exists(file)) out.add(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + folder + " failed", e);
        }
        out.sort(Comparator.comparingInt(VersionMetadata::version));
        return out;
    }

    public Optional<VersionMetadata> version(int version) {
        Path file = path(version).resolve(METADATA);
        return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
    }

    public Optional<VersionMetadata> latest() {
        List<VersionMetadata> all = versions();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public int nextVersion() {
        return latest().map(v -> v.version() + 1).orElse(1);
    }

    /** The {@code metadata.json} of a version folder. */
    public static VersionMetadata readFolder(Path versionFolder) {
        Path file = versionFolder.resolve(METADATA);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(versionFolder + " is not a reward model version: it has no " + METADATA);
        }
        return read(file);
    }

    private static VersionMetadata read(Path file) {
        try {
            return JSON.readValue(file.toFile(), VersionMetadata.class);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not a readable version metadata file: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover hidden temp folder is never read as a version
        }
    }
}
