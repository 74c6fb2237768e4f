package dev.shopstream.producer.web;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import org.hibernate.validator.constraints.Range;

/**
 * Query parameters read as the API reads them everywhere: {@code Instant}, {@code int} and {@code Boolean} parameters arrive typed
 * in the resource methods, and a value that is not one is a 400 naming the parameter (the converter knows the
 * name from the parameter's {@code @QueryParam}). Ranges are Bean Validation's ({@code @Range}); the converter
 * only reads the range to say it in its message.
 */
@Provider
public class ParameterConverters implements ParamConverterProvider {

    /**
     * The instants the API compares with window starts: ISO-8601 four-digit years, well inside PostgreSQL's
     * timestamptz range (4713 BC to 294276 AD), so no time ever reaches the database that it cannot compare.
     */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        QueryParam query = find(annotations, QueryParam.class);
        if (query == null) {
            return null;
        }
        if (rawType == Instant.class) {
            return (ParamConverter<T>) new InstantConverter(query.value());
        }
        if (rawType == int.class || rawType == Integer.class) {
            DefaultValue defaultValue = find(annotations, DefaultValue.class);
            return (ParamConverter<T>) new CountConverter(query.value(), find(annotations, Range.class),
                    defaultValue == null ? null : defaultValue.value());
        }
        if (rawType == Boolean.class) {
            return (ParamConverter<T>) new FlagConverter(query.value());
        }
        return null;
    }

    private static <A extends Annotation> A find(Annotation[] annotations, Class<A> type) {
        if (annotations != null) {
            for (Annotation annotation : annotations) {
                if (type.isInstance(annotation)) {
                    return type.cast(annotation);
                }
            }
        }
        return null;
    }

    /** An ISO-8601 instant, with Z or an offset (2026-11-25T02:30:00Z, 2026-11-25T03:30:00+01:00). */
    record InstantConverter(String name) implements ParamConverter<Instant> {

        @Override
        public Instant fromString(String value) {
            if (value == null) {
                return null;
            }
            Instant instant;
            try {
                instant = OffsetDateTime.parse(value.trim()).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidParameterException(name, name + " must be an ISO-8601 time such as 2026-11-25T02:30:00Z, got '"
                        + InvalidParameterException.shown(value) + "'");
            }
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                throw new InvalidParameterException(name, name + " must be a time from " + EARLIEST + " to " + LATEST + ", got " + instant);
            }
            return instant;
        }

        @Override
        public String toString(Instant value) {
            return value.toString();
        }
    }

    /**
     * true or false, in any case; absent or blank means not given (null). Anything else is refused: JAX-RS's own
     * reading, Boolean.valueOf, would take "yes" or "1" for false without a word.
     */
    record FlagConverter(String name) implements ParamConverter<Boolean> {

        @Override
        public Boolean fromString(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            String text = value.trim();
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.valueOf(text);
            }
            throw new InvalidParameterException(name, name + " must be true or false, got '" + InvalidParameterException.shown(value) + "'");
        }

        @Override
        public String toString(Boolean value) {
            return String.valueOf(value);
        }
    }

    /** A whole number; absent or blank means the parameter's {@code @DefaultValue}. */
    record CountConverter(String name, Range range, String defaultValue) implements ParamConverter<Integer> {

        @Override
        public Integer fromString(String value) {
            String text = value == null || value.isBlank() ? defaultValue : value.trim();
            if (text == null) {
                return null;
            }
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                String expected = range == null ? "" : " from " + range.min() + " to " + range.max();
                throw new InvalidParameterException(name, name + " must be a whole number" + expected + ", got '"
                        + InvalidParameterException.shown(value) + "'");
            }
        }

        @Override
        public String toString(Integer value) {
            return String.valueOf(value);
        }
    }
}
