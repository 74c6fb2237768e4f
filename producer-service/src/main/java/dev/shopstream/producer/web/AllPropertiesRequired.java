package dev.shopstream.producer.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Marks every property of the document's object schemas required, as Jackson writes them: every record
 * component, null or not (a nullable one says so with {@code @Schema(nullable = true)}). The records that leave
 * nulls out ({@code @JsonInclude(NON_NULL)}) list their required properties with {@code @Schema(requiredProperties)},
 * and are left as they are. At build time, so the stored and the served documents are the same.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class AllPropertiesRequired implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() != null && openAPI.getComponents().getSchemas() != null) {
            openAPI.getComponents().getSchemas().values().forEach(AllPropertiesRequired::require);
        }
    }

    /** This schema and the object schemas inside it (a generic record's are inlined, not components). */
    private static void require(Schema schema) {
        if (schema == null) {
            return;
        }
        Map<String, Schema> properties = schema.getProperties();
        if (properties != null) {
            if (schema.getRequired() == null || schema.getRequired().isEmpty()) {
                schema.setRequired(new ArrayList<>(properties.keySet()));
            }
            properties.values().forEach(AllPropertiesRequired::require);
        }
        require(schema.getItems());
        List<Schema> anyOf = schema.getAnyOf();
        if (anyOf != null) {
            anyOf.forEach(AllPropertiesRequired::require);
        }
    }
}
