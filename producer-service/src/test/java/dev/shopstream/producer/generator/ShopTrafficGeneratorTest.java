package dev.shopstream.producer.generator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.shopstream.producer.events.EventType;
import dev.shopstream.producer.events.UserEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShopTrafficGeneratorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T02:31:07.412Z");
    private static final List<String> CATEGORIES = List.of("electronics", "books", "home & kitchen", "jouets à gogo");

    static TrafficProfile profile(Long seed, double lateRatio) {
        return new TrafficProfile(seed, 1000, 200, CATEGORIES, 1.1, 0.12, 0.05, lateRatio, Duration.ofMinutes(5));
    }

    static List<UserEvent> take(ShopTrafficGenerator generator, int count) {
        List<UserEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(generator.next(NOW.plusMillis(i)));
        }
        return events;
    }

    @Test
    void shouldProduceTheSameEventsForTheSameSeed() {
        assertThat(take(new ShopTrafficGenerator(profile(42L, 0.01)), 5_000))
                .isEqualTo(take(new ShopTrafficGenerator(profile(42L, 0.01)), 5_000));
    }

    @Test
    void shouldProduceDifferentEventsForDifferentSeeds() {
        List<UserEvent> first = take(new ShopTrafficGenerator(profile(1L, 0.01)), 100);
        List<UserEvent> second = take(new ShopTrafficGenerator(profile(2L, 0.01)), 100);
        assertThat(first.stream().map(UserEvent::eventId)).doesNotContainAnyElementsOf(second.stream().map(UserEvent::eventId).toList());
    }

    @Test
    void shouldReportTheRandomSeedItChoseSoTheRunCanBeReplayed() {
        ShopTrafficGenerator unseeded = new ShopTrafficGenerator(profile(null, 0.01));
        List<UserEvent> original = take(unseeded, 1_000);
        assertThat(take(new ShopTrafficGenerator(profile(unseeded.seed(), 0.01)), 1_000)).isEqualTo(original);
    }

    @Test
    void shouldEmitOnlyValuesTheContractAllows() {
        for (UserEvent event : take(new ShopTrafficGenerator(profile(7L, 0.05)), 20_000)) {
            assertThat(UUID.fromString(event.eventId()).version()).isEqualTo(4);
            assertThat(event.eventType()).isNotNull();
            assertThat(event.userId()).matches("user_\\d{4}");
            assertThat(event.productId()).matches("prod_\\d{4}");
            assertThat(CATEGORIES).contains(event.category());
            assertThat(event.price()).isGreaterThan(BigDecimal.ZERO);
            assertThat(event.price().scale()).isEqualTo(2);
            assertThat(event.eventTime()).isBeforeOrEqualTo(NOW.plusMillis(20_000));
        }
    }

    @Test
    void shouldKeepEachProductsCategoryAndPrice() {
        Map<String, UserEvent> firstSeen = new HashMap<>();
        for (UserEvent event : take(new ShopTrafficGenerator(profile(3L, 0)), 20_000)) {
            UserEvent first = firstSeen.putIfAbsent(event.productId(), event);
            if (first != null) {
                assertThat(event.category()).as(event.productId()).isEqualTo(first.category());
                assertThat(event.price()).as(event.productId()).isEqualTo(first.price());
            }
        }
        assertThat(firstSeen.values().stream().map(UserEvent::category).distinct()).hasSameSizeAs(CATEGORIES);
    }

    @Test
    void shouldNarrowTheFunnelFromViewsToCartsToPurchases() {
        Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
        take(new ShopTrafficGenerator(profile(11L, 0)), 100_000).forEach(e -> counts.merge(e.eventType(), 1, Integer::sum));
        assertThat(counts.get(EventType.PRODUCT_VIEW)).isGreaterThan(5 * counts.get(EventType.ADD_TO_CART));
        assertThat(counts.get(EventType.ADD_TO_CART)).isGreaterThan(counts.get(EventType.PURCHASE));
        assertThat(counts.get(EventType.PURCHASE)).isGreaterThan(1_000);
    }

    @Test
    void shouldOnlySellWhatAShopperPutInTheCart() {
        Map<String, Map<String, Integer>> carts = new HashMap<>();
        for (UserEvent event : take(new ShopTrafficGenerator(profile(5L, 0)), 50_000)) {
            Map<String, Integer> cart = carts.computeIfAbsent(event.userId(), u -> new HashMap<>());
            if (event.eventType() == EventType.ADD_TO_CART) {
                cart.merge(event.productId(), 1, Integer::sum);
            } else if (event.eventType() == EventType.PURCHASE) {
                assertThat(cart.getOrDefault(event.productId(), 0)).as("cart of " + event.userId()).isPositive();
                cart.merge(event.productId(), -1, Integer::sum);
            }
        }
    }

    @Test
    void shouldConcentrateViewsOnAFewHotProducts() {
        Map<String, Integer> views = new HashMap<>();
        take(new ShopTrafficGenerator(profile(13L, 0)), 100_000).stream()
                .filter(e -> e.eventType() == EventType.PRODUCT_VIEW)
                .forEach(e -> views.merge(e.productId(), 1, Integer::sum));
        int total = views.values().stream().mapToInt(Integer::intValue).sum();
        int topTenPercent = views.values().stream().sorted(Comparator.reverseOrder()).limit(20).mapToInt(Integer::intValue).sum();
        assertThat((double) topTenPercent / total).isGreaterThan(0.5);
    }

    @Test
    void shouldStampTheConfiguredShareOfEventsInThePast() {
        List<UserEvent> events = take(new ShopTrafficGenerator(profile(17L, 0.1)), 20_000);
        int late = 0;
        for (int i = 0; i < events.size(); i++) {
            Instant sentAt = NOW.plusMillis(i);
            Instant eventTime = events.get(i).eventTime();
            if (eventTime.isBefore(sentAt)) {
                late++;
                assertThat(Duration.between(eventTime, sentAt)).isBetween(Duration.ofSeconds(10), Duration.ofMinutes(5));
            } else {
                assertThat(eventTime).isEqualTo(sentAt);
            }
        }
        assertThat(late).isBetween(1_800, 2_200);
    }

    @Test
    void shouldRefuseAProfileWithoutRoomForViews() {
        assertThatThrownBy(() -> new TrafficProfile(1L, 10, 10, CATEGORIES, 1.1, 0.7, 0.4, 0, Duration.ofMinutes(1)))
                .hasMessageContaining("producer.add-to-cart-ratio");
    }
}
