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

/**
 * Bean Validation form of {@link Inputs#isLine} ({@code multiline = false}, the default: names, labels, attribute
 * values) and {@link Inputs#isText} ({@code multiline = true}: notes, reasons). Null passes.
 */
@Documented
@Constraint(validatedBy = SafeText.Check.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE,
        ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface SafeText {
    String message() default "must be at most {max} characters with no NUL or control characters";

    int max();

    boolean multiline() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<SafeText, String> {
        private int max;
        private boolean multiline;

        @Override
        public void initialize(SafeText annotation) {
            max = annotation.max();
            multiline = annotation.multiline();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return multiline ? Inputs.isText(value, max) : Inputs.isLine(value, max);
        }
    }
}
