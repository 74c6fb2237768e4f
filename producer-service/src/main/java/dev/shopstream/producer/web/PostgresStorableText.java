package dev.shopstream.producer.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A text parameter PostgreSQL can store and compare as {@code text}: valid Unicode (no unpaired surrogate, which
 * has no UTF-8 form), no NUL character (which PostgreSQL refuses in text), and at most {@link #max()} characters
 * counted as the event contract counts them: Unicode code points (an emoji is one, though Java holds it in two
 * chars), so every key the job stores can be asked for. Checked before any query runs, so such a value is a 400
 * naming the parameter, never a database error.
 */
@Documented
@Constraint(validatedBy = PostgresStorableText.Validator.class)
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
public @interface PostgresStorableText {

    /** The longest value accepted, in Unicode code points (EventContract.MAX_TEXT_LENGTH's unit). */
    int max();

    String message() default "must be text PostgreSQL can store";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Says exactly what is wrong with a value, for the error body. */
    class Validator implements ConstraintValidator<PostgresStorableText, String> {

        private int max;

        @Override
        public void initialize(PostgresStorableText annotation) {
            max = annotation.max();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem = problem(value, max);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            // The problem is our own text, never the value: nothing in it is interpolated.
            context.buildConstraintViolationWithTemplate(problem.replace("{", "\\{").replace("$", "\\$")).addConstraintViolation();
            return false;
        }

        /** Null when PostgreSQL can store and compare the value; else what is wrong with it. */
        static String problem(String value, int max) {
            if (value == null) {
                return null;
            }
            // A string of at most max chars has at most max code points: count only the longer ones.
            if (value.length() > max) {
                int codePoints = value.codePointCount(0, value.length());
                if (codePoints > max) {
                    return "must be 1 to " + max + " characters, got " + codePoints;
                }
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\u0000') {
                    return "must not contain the NUL character (U+0000), found at position " + i;
                }
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return "must be valid Unicode, found an unpaired surrogate (U+" + String.format("%04X", (int) c) + ") at position " + i;
                }
            }
            return null;
        }
    }
}
