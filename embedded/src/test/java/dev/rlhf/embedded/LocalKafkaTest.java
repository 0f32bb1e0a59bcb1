package dev.rlhf.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalKafkaTest {

    @Test
    void keepsTopicsAndRecordsAcrossAStopAndStartOnTheSamePort() throws Exception {
        long started = System.nanoTime();
        try (LocalKafka kafka = LocalKafka.startEphemeral()) {
            long startMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("LocalKafka: format and start took " + startMs + " ms");

            assertTrue(kafka.createTopic("journal", 3, Map.of("retention.ms", "-1")));
            assertFalse(kafka.createTopic("journal", 3, Map.of()), "a second create is a no-op");
            produce(kafka.bootstrapServers(), "journal", "k", "before restart");
            String bootstrap = kafka.bootstrapServers();

            kafka.stop();
            assertFalse(kafka.isRunning());
            long restarted = System.nanoTime();
            kafka.start();
            System.out.println("LocalKafka: restart took "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted) + " ms");

            assertEquals(bootstrap, kafka.bootstrapServers());
            produce(kafka.bootstrapServers(), "journal", "k", "after restart");
            assertEquals(List.of("before restart", "after restart"), readAll(kafka.bootstrapServers(), "journal", 2));
            try (Admin admin = admin(kafka)) {
                assertEquals(3, admin.describeTopics(List.of("journal")).allTopicNames().get()
                        .get("journal").partitions().size());
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "journal");
                Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
                assertEquals("-1", config.get("retention.ms").value());
            }
        }
    }

    @Test
    void reopensAPersistentDataDirectoryInANewInstanceOnAGivenPort(@TempDir Path data) throws Exception {
        try (LocalKafka first = LocalKafka.start(data, 0)) {
            first.createTopic("journal", 1, Map.of());
            produce(first.bootstrapServers(), "journal", "k", "kept");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (LocalKafka second = LocalKafka.start(data, port)) {
            assertEquals("localhost:" + port, second.bootstrapServers());
            assertFalse(second.createTopic("journal", 1, Map.of()), "the topic survived");
            assertEquals(List.of("kept"), readAll(second.bootstrapServers(), "journal", 1));
        }
    }

    @Test
    void findsTheServerJarsInAFlatLibraryFolderWhenTheClasspathDoesNotListThem(@TempDir Path lib) throws Exception {
        for (String jar : List.of("org.apache.kafka.kafka_2.13-4.0.1.jar", "org.apache.kafka.kafka-clients-4.0.1.jar",
                "org.scala-lang.scala-library-2.13.16.jar", "README.txt")) {
            Files.writeString(lib.resolve(jar), "");
        }
        URL kafkaClass = new URL("jar:" + lib.resolve("org.apache.kafka.kafka_2.13-4.0.1.jar").toUri()
                + "!/kafka/Kafka.class");

        String classpath = LocalKafka.serverClasspath("quarkus-run.jar", kafkaClass);

        assertEquals(List.of("org.apache.kafka.kafka-clients-4.0.1.jar", "org.apache.kafka.kafka_2.13-4.0.1.jar",
                        "org.scala-lang.scala-library-2.13.16.jar"),
                Stream.of(classpath.split(File.pathSeparator)).map(p -> Path.of(p).getFileName().toString()).toList());
        assertEquals("a.jar:kafka_2.13-4.0.1.jar", LocalKafka.serverClasspath("a.jar:kafka_2.13-4.0.1.jar", kafkaClass),
                "a classpath that lists the jar is used as it is");
    }

    @Test
    void doesNotMistakeAMavenRepositoryFolderForALibraryFolder(@TempDir Path repository) throws Exception {
        Path jar = Files.writeString(repository.resolve("kafka_2.13-4.0.1.jar"), "");
        Files.writeString(repository.resolve("kafka_2.13-4.0.1.pom"), "");
        URL kafkaClass = new URL("jar:" + jar.toUri() + "!/kafka/Kafka.class");

        assertEquals("launcher.jar", LocalKafka.serverClasspath("launcher.jar", kafkaClass));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> LocalKafka.start(null, 0, "launcher.jar"));
        assertTrue(refused.getMessage().contains("org.apache.kafka:kafka_2.13"), refused.getMessage());
    }

    private static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads the one partition the key "k" hashes to, from its beginning. */
    private static List<String> readAll(String bootstrap, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static Admin admin(LocalKafka kafka) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return Admin.create(props);
    }
}
