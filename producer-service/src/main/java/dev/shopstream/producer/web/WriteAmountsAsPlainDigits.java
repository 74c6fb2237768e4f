package dev.shopstream.producer.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * How the API writes JSON: every amount (a BigDecimal) as its plain digits, never in E notation. BigDecimal's own
 * toString switches to E notation for a negative scale (what arithmetic such as stripTrailingZeros can give), and
 * many clients read an E-notation number as a double, losing the digits beyond the 15th to 17th.
 */
@Singleton
public class WriteAmountsAsPlainDigits implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    }
}
