package dev.shopstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** The JSON Schema and the samples agree: valid samples pass it, and it refuses every reject it can express. */
class ContractSchemaTest {

    /**
     * Rules a JSON Schema cannot state: a NUL inside text, a date that does not exist, an instant before 1970;
     * not-JSON handled by the parser.
     */
    private static final Set<String> BEYOND_THE_SCHEMA = Set.of("NUL in event_id", "NUL in user_id", "NUL in product_id",
            "NUL in category", "no such date", "event_time before 1970");

    @Test
    void shouldAcceptEveryValidSample() {
        ContractSamples.all().stream().filter(s -> s.expectedReason() == null && !s.name().contains("numeric-string"))
                .forEach(sample -> assertThat(ContractSchema.problems(sample.payload())).as(sample.name()).isEmpty());
    }

    @Test
    void shouldRefuseEveryRejectedSampleThatASchemaCanDescribe() {
        ContractSamples.all().stream()
                .filter(s -> s.expectedReason() != null && !s.expectedReason().equals(RejectReason.NOT_JSON) && !BEYOND_THE_SCHEMA.contains(s.name()))
                .forEach(sample -> assertThat(ContractSchema.problems(sample.payload())).as(sample.name()).isNotEmpty());
    }
}
