package dev.rlhf.rewardmodel.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Declares the shared PostgreSQL and Kafka broker for every @QuarkusTest in the module. */
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
public final class TestInfrastructure {
    private TestInfrastructure() {
    }
}
