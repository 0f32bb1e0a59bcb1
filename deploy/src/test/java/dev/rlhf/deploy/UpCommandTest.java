package dev.rlhf.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./rlhf up} as a process of its own, since what it prints while the JVM exits is part of what a user sees. */
class UpCommandTest {

    @Test
    void aMisspeltPostgresSettingIsOneLineNamingItAndNoStackTrace(@TempDir Path tmp) throws Exception {
        // The jar only has to exist: the start fails at the database, before the backend would be launched.
        Path backendJar = Files.writeString(tmp.resolve("backend.jar"), "");
        Path stderr = tmp.resolve("stderr.txt");
        ProcessBuilder command = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Rlhf.class.getName(), "up",
                "--data-dir", tmp.resolve("data").toString(), "--backend-jar", backendJar.toString(),
                "--no-reward-model", "--postgres-setting", "no_such_setting=1"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        // The embedded database and no debug output, whatever the machine running the tests points at.
        command.environment().keySet().removeAll(List.of("QUARKUS_DATASOURCE_JDBC_URL", "KAFKA_BOOTSTRAP_SERVERS", "RLHF_DEBUG"));
        Process up = command.start();
        if (!up.waitFor(120, TimeUnit.SECONDS)) {
            up.destroyForcibly();
            throw new AssertionError("rlhf up did not give up within 120 s");
        }
        String err = Files.readString(stderr, StandardCharsets.UTF_8);

        assertEquals(1, up.exitValue(), err);
        assertTrue(err.contains("could not start the embedded PostgreSQL with the settings {no_such_setting=1}"), err);
        assertFalse(err.contains("\tat "), "a stack trace was printed:\n" + err);
        assertFalse(err.contains("Exception"), err);
    }
}
