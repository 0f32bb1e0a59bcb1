package dev.rlhf.backend.campaign;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A form that raters can fill in: nothing is required that it does not ask for. The judgment rules refuse a
 * rationale the form does not ask for, so a form requiring one without asking for it would refuse every judgment.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = SatisfiableForm.Check.class)
public @interface SatisfiableForm {

    String message() default "a rationale can only be required when askRationale is true";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<SatisfiableForm, JudgmentForm> {

        @Override
        public boolean isValid(JudgmentForm form, ConstraintValidatorContext context) {
            if (form == null || !form.requireRationale() || form.askRationale()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                    .addPropertyNode("requireRationale").addConstraintViolation();
            return false;
        }
    }
}
