package dev.rlhf.backend.account;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;

/**
 * A text of at most {@link #value()} bytes once encoded in UTF-8. {@code @Size} counts characters, and a character
 * outside ASCII takes 2 to 4 bytes: what bcrypt limits is bytes.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = MaxUtf8Bytes.Check.class)
public @interface MaxUtf8Bytes {

    int value();

    String message() default "may be at most {value} bytes in UTF-8 (a letter outside ASCII takes 2 to 4 bytes)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<MaxUtf8Bytes, String> {

        private int max;

        @Override
        public void initialize(MaxUtf8Bytes constraint) {
            max = constraint.value();
        }

        @Override
        public boolean isValid(String text, ConstraintValidatorContext context) {
            return text == null || text.getBytes(StandardCharsets.UTF_8).length <= max;
        }
    }
}
