package dev.shopstream.producer.generator;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.shopstream.producer.events.UserEvent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Emits the simulated traffic to the {@code user-events} channel (Kafka topic {@code user_events}, key
 * user_id) at the configured rate, on one thread of its own that owns the generator. Counts what Kafka
 * acknowledged (sent), what it refused after its retries (failed) and what the generator had to drop
 * because the channel was full, e.g. while the broker is unreachable (dropped): a ticking source must never
 * block on, or be failed by, a slow broker.
 */
@ApplicationScoped
public class TrafficEmitter {

    private static final Logger LOG = Logger.getLogger(TrafficEmitter.class);
    private static final long MAX_SLEEP_NANOS = 50_000_000L;
    private static final long MIN_SLEEP_NANOS = 500_000L;

    private final GeneratorSettings settings;
    private final Emitter<String> emitter;
    private final ObjectWriter json;
    private final Clock clock;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Double> requestedRate = new AtomicReference<>();

    private volatile ShopTrafficGenerator generator;
    private volatile Thread loop;
    private volatile boolean running;

    public TrafficEmitter(GeneratorSettings settings,
                          @Channel("user-events") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384) Emitter<String> emitter,
                          ObjectMapper mapper, MeterRegistry registry) {
        this.settings = settings;
        FunctionCounter.builder("shopstream.producer.events.sent", sent, AtomicLong::get)
                .description("Events Kafka acknowledged (acks=all)").register(registry);
        FunctionCounter.builder("shopstream.producer.events.failed", failed, AtomicLong::get)
                .description("Events Kafka refused after its retries").register(registry);
        FunctionCounter.builder("shopstream.producer.events.dropped", dropped, AtomicLong::get)
                .description("Events dropped because the channel to Kafka was full").register(registry);
        Gauge.builder("shopstream.producer.rate", this, self -> self.status().eventsPerSecond())
                .description("The configured rate in events per second").register(registry);
        this.emitter = emitter;
        this.json = mapper.writerFor(UserEvent.class);
        this.clock = Clock.systemUTC();
    }

    void start(@Observes StartupEvent startup) {
        generator = new ShopTrafficGenerator(settings.profile());
        requireRateAllowed(settings.rate());
        requestedRate.set(settings.rate());
        running = true;
        loop = new Thread(this::run, "traffic-emitter");
        loop.setDaemon(true);
        loop.start();
        LOG.infof("Emitting shop traffic at %s events/s (seed %d, %d users, %d products)", settings.rate(), generator.seed(),
                settings.users(), settings.products());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        Thread thread = loop;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** Takes effect at once: the emitter thread is woken and paces from now on at the new rate. */
    public void changeRate(double eventsPerSecond) {
        requireRateAllowed(eventsPerSecond);
        requestedRate.set(eventsPerSecond);
        Thread thread = loop;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
        LOG.infof("Producer rate changed to %s events/s", eventsPerSecond);
    }

    public ProducerStatus status() {
        double rate = requestedRate.get() == null ? settings.rate() : requestedRate.get();
        return new ProducerStatus(rate, settings.maxRate(), rate == 0, sent.get(), failed.get(), dropped.get(),
                generator == null ? null : generator.seed(), lastError.get());
    }

    private void requireRateAllowed(double eventsPerSecond) {
        if (!(eventsPerSecond >= 0 && eventsPerSecond <= settings.maxRate())) {
            throw new IllegalArgumentException("events_per_second must be a number from 0 to " + formatRate(settings.maxRate())
                    + " (producer.max-rate), got " + eventsPerSecond);
        }
    }

    static String formatRate(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }

    private void run() {
        RatePacer pacer = new RatePacer(requestedRate.get(), System.nanoTime(), 1.0);
        while (running) {
            Double wanted = requestedRate.get();
            if (wanted != pacer.rate()) {
                pacer.setRate(wanted, System.nanoTime());
            }
            long due = pacer.takeDue(System.nanoTime());
            if (due > 0) {
                Instant now = clock.instant();
                for (long i = 0; i < due && running; i++) {
                    emit(generator.next(now));
                }
            }
            long sleep = Math.min(MAX_SLEEP_NANOS, pacer.nanosUntilNext(System.nanoTime()));
            if (sleep > 0) {
                LockSupport.parkNanos(Math.max(MIN_SLEEP_NANOS, sleep));
            }
        }
    }

    private void emit(UserEvent event) {
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A generated event cannot be written as JSON", e);
        }
        if (!emitter.hasRequests()) {
            dropped.incrementAndGet();
            return;
        }
        Message<String> message = Message.of(payload,
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.userId()).build()),
                () -> {
                    sent.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    failed.incrementAndGet();
                    lastError.set(failure.getClass().getSimpleName() + ": " + failure.getMessage());
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException overflow) { // the channel's buffer is full: the broker is not keeping up
            dropped.incrementAndGet();
            lastError.set(overflow.getClass().getSimpleName() + ": " + overflow.getMessage());
        }
    }
}
