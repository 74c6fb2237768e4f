package dev.shopstream.stack;

import dev.shopstream.testsupport.Listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** ./run-local.sh's options: loopback unless --listen says otherwise. */
class StackOptionsTest {

    @Test
    void shouldListenOnLoopbackUnlessTold() {
        Listen listen = StackOptions.parse(new String[] {"--rate", "5"}).listen();
        assertThat(listen).isEqualTo(Listen.LOOPBACK);
        assertThat(listen.loopback()).isTrue();
        assertThat(listen.advertisedHost()).isEqualTo("localhost");
    }

    @Test
    void shouldListenWhereTheOptionSays() {
        assertThat(StackOptions.parse(new String[] {"--listen=0.0.0.0"}).listen().everyInterface()).isTrue();
        Listen one = StackOptions.parse(new String[] {"--listen", "192.0.2.7"}).listen();
        assertThat(one.address()).isEqualTo("192.0.2.7");
        assertThat(one.advertisedHost()).isEqualTo("192.0.2.7");
        assertThat(one.loopback()).isFalse();
    }

    @Test
    void shouldRefuseAnEmptyListenAddress() {
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--listen="})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--listen takes an address");
    }
}
