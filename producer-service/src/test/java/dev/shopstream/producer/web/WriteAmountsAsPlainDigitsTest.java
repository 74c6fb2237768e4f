package dev.shopstream.producer.web;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's own ObjectMapper (the one its answers are written with) writes amounts as plain decimal digits. */
@QuarkusTest
class WriteAmountsAsPlainDigitsTest {

    static { RealInfrastructure.class.getName(); }

    @Inject
    ObjectMapper mapper;

    @Test
    void shouldWriteAnAmountWithANegativeScaleAsPlainDigits() throws Exception {
        assertThat(mapper.writeValueAsString(new BigDecimal("1E+35"))).isEqualTo("100000000000000000000000000000000000");
    }

    @Test
    void shouldWriteEveryDigitOfAnAmountBeyondADoublesPrecision() throws Exception {
        assertThat(mapper.writeValueAsString(new BigDecimal("999999999999999999999999999999999999.99")))
                .isEqualTo("999999999999999999999999999999999999.99");
    }
}
