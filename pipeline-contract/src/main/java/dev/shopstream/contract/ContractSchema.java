package dev.shopstream.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The event contract's JSON Schema ({@value ContractSamples#SCHEMA_RESOURCE}), validated with networknt's
 * json-schema-validator: for the producer's test (its real records from Kafka) and the contract's own tests.
 */
public final class ContractSchema {

    private static final Schema SCHEMA = load();

    private ContractSchema() {
    }

    /** The schema's complaints about one record's value; empty when it is a valid event by the schema. */
    public static List<String> problems(String json) {
        return SCHEMA.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    private static Schema load() {
        try (InputStream in = ContractSchema.class.getClassLoader().getResourceAsStream(ContractSamples.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(ContractSamples.SCHEMA_RESOURCE + " is not on the classpath");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
