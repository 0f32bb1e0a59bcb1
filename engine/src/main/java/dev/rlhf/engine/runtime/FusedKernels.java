package dev.rlhf.engine.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * librlhf_ops, the engine's fused CPU kernels (src/main/native), as a file ONNX Runtime can load: the
 * build puts it among the classes, and a copy is extracted when the classes are in a jar. Absent when
 * the build machine had no C compiler (or is not Linux x86-64); training then runs on standard operators.
 * {@code RLHF_FUSED_KERNELS=off} turns the kernels off for a process, to compare with and without.
 */
public final class FusedKernels {
    private static final Logger LOG = Logger.getLogger(FusedKernels.class.getName());
    private static final String RESOURCE = "/native/linux-x86_64/librlhf_ops.so";
    private static final Optional<Path> LIBRARY = locate();

    private FusedKernels() {
    }

    /** The library's path, when this build has it and the environment does not turn it off. */
    public static Optional<Path> library() {
        return LIBRARY;
    }

    private static Optional<Path> locate() {
        if ("off".equalsIgnoreCase(System.getenv("RLHF_FUSED_KERNELS"))) return Optional.empty();
        if (!System.getProperty("os.name").equals("Linux") || !System.getProperty("os.arch").equals("amd64")) {
            return Optional.empty();
        }
        URL url = FusedKernels.class.getResource(RESOURCE);
        if (url == null) {
            LOG.info("librlhf_ops was not built (no C compiler at build time): training graphs use standard operators");
            return Optional.empty();
        }
        try {
            Path library;
            if (url.getProtocol().equals("file")) {
                library = Path.of(url.toURI());
            } else {
                library = Files.createTempFile("librlhf_ops", ".so");
                library.toFile().deleteOnExit();
                try (InputStream in = url.openStream()) {
                    Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            // Loaded once for the life of the process: ONNX Runtime unloads a custom-op library when the session
            // options that registered it close, while sessions made with them still run its kernels.
            System.load(library.toString());
            return Optional.of(library);
        } catch (IOException | URISyntaxException | UnsatisfiedLinkError e) {
            // the kernels only make training faster: without them it runs, on standard operators
            LOG.warning("librlhf_ops could not be loaded (" + e.getMessage() + "): training graphs use standard operators");
            return Optional.empty();
        }
    }
}
