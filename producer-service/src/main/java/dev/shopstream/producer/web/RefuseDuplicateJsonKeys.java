package dev.shopstream.producer.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * How the API reads JSON bodies: a field given twice ({"events_per_second":0,"events_per_second":-1}) is
 * ambiguous, so it is a 400 naming the body, not a guess (and not the 500 Jackson's record creator gave, found
 * by ApiFuzzProperties).
 */
@Singleton
public class RefuseDuplicateJsonKeys implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
