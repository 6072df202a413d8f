package io.updraft.support.validation;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Bean Validation form of {@link Inputs#isIdentifier(String, int)}; null passes (add {@code @NotNull} for required). */
@Documented
@Constraint(validatedBy = Identifier.Check.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE,
        ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface Identifier {
    String message() default "must be 1-{max} characters of A-Z a-z 0-9 . _ - ~ : @ +, starting with a letter or digit";

    int max() default Inputs.MAX_IDENTIFIER;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<Identifier, String> {
        private int max;

        @Override
        public void initialize(Identifier annotation) {
            max = annotation.max();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || Inputs.isIdentifier(value, max);
        }
    }
}
