package dev.shopstream.producer.generator;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.shopstream.producer.events.UserEvent;
import dev.shopstream.producer.events.UserEventJson;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Emits the simulated traffic to the {@code user-events} channel (Kafka topic {@code user_events}, key
 * user_id) at the configured rate, on one thread of its own that owns the generator. Counts what Kafka
 * acknowledged (sent), what it refused after its retries (failed) and what the generator had to drop
 * because too many events were waiting for Kafka, e.g. while the broker is unreachable or slower than the
 * rate (dropped): a ticking source must never wait on, or be failed by, a slow broker.
 *
 * <p>Events go straight to the channel's own Kafka producer (configured by the channel's
 * {@code mp.messaging.outgoing.user-events.*} settings), one {@code send} with a callback each: a
 * reactive-messaging {@code Message} per event, with its ack chain and context propagation, cost several
 * times more than the send itself and capped the generator at a small fraction of what the producer can
 * do (measured by the benchmarks, docs/benchmarks.md). An event is only generated when it can be sent.
 */
@ApplicationScoped
public class TrafficEmitter {

    private static final Logger LOG = Logger.getLogger(TrafficEmitter.class);
    private static final long MAX_SLEEP_NANOS = 50_000_000L;
    private static final long MIN_SLEEP_NANOS = 500_000L;
    /**
     * Events handed to Kafka and not yet acknowledged or failed, at most: beyond it the generator drops. About
     * 13 MB of records, well inside the producer's buffer.memory (32 MB), so a send never waits for space.
     */
    static final long MAX_IN_FLIGHT = 50_000;

    private final GeneratorSettings settings;
    private final KafkaClientService kafka;
    private final String topic;
    private final UserEventJson json = new UserEventJson();
    private final Clock clock;
    private final Callback delivered = this::delivered;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Handed to the producer: sent + failed + in flight. Only the emitter thread writes it. */
    private final AtomicLong handed = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Double> requestedRate = new AtomicReference<>();

    private volatile ShopTrafficGenerator generator;
    private volatile Producer<String, String> producer;
    private volatile Thread loop;
    private volatile boolean running;

    /**
     * @param channel declares the {@code user-events} outgoing channel, whose Kafka producer (and health check)
     *                SmallRye then creates; events are sent on that producer directly, not through the emitter
     */
    public TrafficEmitter(GeneratorSettings settings, @Channel("user-events") Emitter<String> channel, KafkaClientService kafka,
                          @ConfigProperty(name = "mp.messaging.outgoing.user-events.topic") String topic,
                          MeterRegistry registry) {
        this.settings = settings;
        this.kafka = kafka;
        this.topic = topic;
        FunctionCounter.builder("shopstream.producer.events.sent", sent, AtomicLong::get)
                .description("Events Kafka acknowledged (acks=all)").register(registry);
        FunctionCounter.builder("shopstream.producer.events.failed", failed, AtomicLong::get)
                .description("Events Kafka refused after its retries").register(registry);
        FunctionCounter.builder("shopstream.producer.events.dropped", dropped, AtomicLong::get)
                .description("Events dropped because the channel to Kafka was full").register(registry);
        Gauge.builder("shopstream.producer.rate", this, self -> self.status().eventsPerSecond())
                .description("The configured rate in events per second").register(registry);
        this.clock = Clock.systemUTC();
    }

    void start(@Observes StartupEvent startup) {
        producer = kafka.<String, String>getProducer("user-events").unwrap();
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
            boolean behind = false;
            if (due > 0) {
                Instant now = clock.instant();
                for (long i = 0; i < due && running; i++) {
                    if (inFlight() >= MAX_IN_FLIGHT) { // Kafka is behind: drop the rest of this tick without making them
                        dropped.addAndGet(due - i);
                        behind = true;
                        break;
                    }
                    emit(generator.next(now));
                }
            }
            // Behind, wait a little rather than spin: the producer's and the broker's threads need the CPU.
            long sleep = behind ? MIN_SLEEP_NANOS : Math.min(MAX_SLEEP_NANOS, pacer.nanosUntilNext(System.nanoTime()));
            if (sleep > 0) {
                LockSupport.parkNanos(Math.max(MIN_SLEEP_NANOS, sleep));
            }
        }
    }

    private long inFlight() {
        return handed.get() - sent.get() - failed.get();
    }

    private void emit(UserEvent event) {
        String payload = json.write(event);
        handed.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(topic, event.userId(), payload), delivered);
        } catch (RuntimeException e) { // e.g. the producer is closing: the callback is not called
            failed(e);
        }
    }

    /** The producer's callback, on its I/O thread: keep it short. */
    private void delivered(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            sent.incrementAndGet();
        } else {
            failed(exception);
        }
    }

    private void failed(Exception e) {
        failed.incrementAndGet();
        lastError.set(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
