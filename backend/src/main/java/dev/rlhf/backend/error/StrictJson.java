package dev.rlhf.backend.error;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Reads JSON as written or refuses it (400, described by {@link JsonErrors}), never guessing what a client meant.
 * Unknown fields are refused as well ({@code quarkus.jackson.fail-on-unknown-properties}).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        // Otherwise {"status": 3} is the fourth constant (CLOSED) and {"choice": 0} is A.
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        // Otherwise a strength of 2.9 is stored as 2.
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }
}
