package dev.rlhf.rewardmodel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes an output folder whole or not at all: the files go into a hidden sibling, then one rename puts it
 * in place (as the worker's registry does), so a failed run never leaves half a model behind.
 */
public final class ModelFolder {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes a folder's files. */
    @FunctionalInterface
    public interface FolderWriter {
        void write(Path folder) throws IOException;
    }

    private ModelFolder() {
    }

    /** Fails before any training if {@code out} could not be written: it exists and is not an empty folder. */
    public static void checkWritable(Path out) {
        if (Files.isRegularFile(out)) throw CliFailure.badInput(out + ": is a file; --out takes a folder to create");
        if (Files.isDirectory(out)) {
            try (Stream<Path> children = Files.list(out)) {
                if (children.findAny().isPresent()) {
                    throw CliFailure.badInput(out + ": exists and is not empty; choose a new folder for --out");
                }
            } catch (IOException e) {
                throw CliFailure.badInput(out + ": cannot be listed: " + e.getMessage());
            }
        }
    }

    public static Path write(Path out, OfflineModelMetadata metadata, FolderWriter files) throws IOException {
        checkWritable(out);
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.createDirectory(tmp);
        try {
            files.write(tmp);
            JSON.writeValue(tmp.resolve("metadata.json").toFile(), metadata);
            Files.deleteIfExists(target);   // an empty folder given as --out
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: the hidden folder is never read as a model
        }
    }
}
