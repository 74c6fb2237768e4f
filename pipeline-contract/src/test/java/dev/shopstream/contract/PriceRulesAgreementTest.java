package dev.shopstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The two implementations of the price rule (the job's {@link EventRules#price}, the audit's {@link PriceInCents}) agree. */
class PriceRulesAgreementTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.01", "999999.99", "1000000.00", "999999.991", "12.5", "12.50", "12.500", "12.505", "12.345",
        "0", "0.00", "-0", "-0.01", "-5", "+5", "5.", ".5", ".", "", " ", "-", "+", "abc", "1.2.3", "12,50", "0x10",
        "1e2", "1E2", "1.005E2", "1.0051E2", "1e-2", "1e-3", "10e-3", "1e+2", "9.9999999e5", "9.99999991e5", "1e6", "1e-999999999",
        "1e999999999", "1e99999999999", "0.000000000000000000000000001e25", "5.0000000000000000001", "5.0100000000000000000",
        "00012.30", " 7.25 ", "\t3\n", "NaN", "Infinity", "1e", "e5", "99999999999999999999999"})
    void shouldGiveTheSameVerdictAsTheJobsPriceRule(String text) {
        BigDecimal jobs = EventRules.price(text);
        BigDecimal audits = PriceInCents.price(text);

        assertThat(audits).as("'%s'", text).isEqualTo(jobs);
    }

    @Test
    void shouldReadTheEdgesOfTheContractInCents() {
        assertThat(PriceInCents.cents("0.01")).isEqualTo(OptionalLong.of(1));
        assertThat(PriceInCents.cents("999999.99")).isEqualTo(OptionalLong.of(99_999_999));
        assertThat(PriceInCents.cents("1.005E2")).isEqualTo(OptionalLong.of(10_050));
        assertThat(PriceInCents.cents("1000000")).isEmpty();
        assertThat(PriceInCents.cents("0.001")).isEmpty();
        assertThat(PriceInCents.cents("0")).isEmpty();
        assertThat(PriceInCents.cents("-1.00")).isEmpty();
        assertThat(PriceInCents.cents(null)).isEmpty();
    }

    @Test
    void shouldJudgeTheSameRecordsWithEitherRuleInTheOracle() {
        String sample = ContractSamples.all().get(0).payload();
        List<String> prices = List.of("0.01", "999999.99", "1000000", "12.345", "1.005E2", "-3", "0", "\"12.50\"");
        for (String price : prices) {
            String payload = sample.replaceFirst("\"price\":[^,}]+", "\"price\":" + price);
            assertThat(EventRules.judge(payload, PriceInCents::price)).as(price).isEqualTo(EventRules.judge(payload));
        }
    }
}
