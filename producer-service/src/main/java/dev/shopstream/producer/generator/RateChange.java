package dev.shopstream.producer.generator;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.shopstream.producer.web.InvalidParameterException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of PUT /producer/rate: {@code {"events_per_second": N}}, N from 0 (paused) to producer.max-rate,
 * fractions allowed. Only a finite JSON number is a rate: "5", true or null are refused naming the field, where
 * Jackson would coerce them. Null when the field is absent.
 */
public record RateChange(
        @Schema(minimum = "0", description = "Events per second: 0 pauses the generator; at most producer.max-rate "
                + "(max_events_per_second in GET /producer); fractions allowed")
        @JsonDeserialize(using = RateChange.FiniteNumber.class) Double eventsPerSecond) {

    static final String FIELD = "events_per_second";

    /** A finite JSON number, else a 400 that names the field and shows the value as it was sent. */
    static final class FiniteNumber extends JsonDeserializer<Double> {

        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode value = parser.readValueAsTree();
            if (value == null || !value.isNumber()) {
                throw new InvalidParameterException(FIELD, FIELD + " must be a number, got " + shown(value));
            }
            double rate = value.doubleValue();
            if (!Double.isFinite(rate)) {
                throw new InvalidParameterException(FIELD, FIELD + " must be a finite number, got " + shown(value));
            }
            return rate;
        }

        /** {@code "events_per_second": null} is sent, not absent. */
        @Override
        public Double getNullValue(DeserializationContext context) {
            throw new InvalidParameterException(FIELD, FIELD + " must be a number, got null");
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
        }

        private static String shown(JsonNode value) {
            return InvalidParameterException.shown(String.valueOf(value));
        }
    }
}
