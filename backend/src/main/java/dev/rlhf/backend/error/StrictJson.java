package dev.rlhf.backend.error;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Reads JSON as written or refuses it (400, described by {@link JsonErrors}), never guessing what a client meant.
 * Unknown fields are refused as well ({@code quarkus.jackson.fail-on-unknown-properties}).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** PostgreSQL keeps no NUL in text or jsonb; refused here, it is a 400 that names the field instead of a 500. */
    public static final String NUL_REFUSED = "must not contain the NUL character (\\u0000)";

    @Override
    public void customize(ObjectMapper mapper) {
        // Otherwise {"status": 3} is the fourth constant (CLOSED) and {"choice": 0} is A.
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        // Otherwise a strength of 2.9 is stored as 2.
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.registerModule(new SimpleModule("nul-free-strings")
                .addDeserializer(String.class, new NulFreeString())
                .addKeyDeserializer(String.class, new NulFreeKey()));
    }

    private static final class NulFreeString extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = super.deserialize(parser, context);
            if (text != null && text.indexOf('\0') >= 0) {
                throw MismatchedInputException.from(parser, String.class, NUL_REFUSED);
            }
            return text;
        }
    }

    private static final class NulFreeKey extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            if (key.indexOf('\0') >= 0) {
                throw MismatchedInputException.from(context.getParser(), String.class, NUL_REFUSED);
            }
            return key;
        }
    }
}
