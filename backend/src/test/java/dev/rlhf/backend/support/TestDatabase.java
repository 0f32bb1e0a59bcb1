package dev.rlhf.backend.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Declares the shared PostgreSQL for every @QuarkusTest in the module. */
@QuarkusTestResource(PostgresResource.class)
public final class TestDatabase {
    private TestDatabase() {
    }
}
