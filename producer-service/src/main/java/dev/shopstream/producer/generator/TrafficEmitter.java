package dev.shopstream.producer.generator;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.shopstream.producer.events.UserEvent;
import dev.shopstream.producer.events.UserEventJson;
import dev.shopstream.producer.pipeline.ProducerStatus;
import dev.shopstream.producer.pipeline.ProducerStatusSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Emits the simulated traffic to the {@code user-events} channel (Kafka topic {@code user_events}, key
 * user_id) at the configured rate, on one thread of its own that owns the generator. Counts what Kafka
 * acknowledged (sent), what it refused after its retries (failed) and what the generator had to drop
 * because the channel's {@code max-inflight-messages} events were waiting for Kafka, e.g. while the broker is
 * unreachable or slower than the rate (dropped): see {@link EventSender}.
 *
 * <p>Events go straight to the channel's own Kafka producer, which SmallRye's Kafka connector creates from the
 * channel's {@code mp.messaging.outgoing.user-events.*} settings: one {@code send} with a callback each. A
 * reactive-messaging {@code Message} per event, with its ack chain and context propagation, cost more than the send
 * itself and held the generator far below what the producer can do (docs/benchmarks.md has the figures). So nothing
 * flows through the channel as a stream, and SmallRye says at start-up that the channel "has no upstream"
 * (SRMSG00207): that is expected. An event is only generated when it can be sent.
 */
@ApplicationScoped
public class TrafficEmitter implements ProducerStatusSource {

    static final String CHANNEL = "user-events";
    private static final Logger LOG = Logger.getLogger(TrafficEmitter.class);
    private static final long MAX_SLEEP_NANOS = 50_000_000L;
    private static final long MIN_SLEEP_NANOS = 500_000L;

    private final GeneratorSettings settings;
    private final KafkaClientService kafka;
    private final String topic;
    private final long maxInFlight;
    private final UserEventJson json = new UserEventJson();
    private final Clock clock;
    private final AtomicReference<Double> requestedRate = new AtomicReference<>();

    private volatile ShopTrafficGenerator generator;
    private volatile EventSender sender;
    private volatile Thread loop;
    private volatile boolean running;

    /**
     * @param maxInFlight the channel's {@code max-inflight-messages}: events handed to Kafka and not yet answered,
     *                    at most, before the generator drops (0: no cap)
     */
    public TrafficEmitter(GeneratorSettings settings, KafkaClientService kafka,
                          @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".topic") String topic,
                          @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".max-inflight-messages") long maxInFlight,
                          MeterRegistry registry) {
        this.settings = settings;
        this.kafka = kafka;
        this.topic = topic;
        this.maxInFlight = maxInFlight;
        FunctionCounter.builder("shopstream.producer.events.sent", this, self -> self.count(EventSender::sent))
                .description("Events Kafka acknowledged (acks=all)").register(registry);
        FunctionCounter.builder("shopstream.producer.events.failed", this, self -> self.count(EventSender::failed))
                .description("Events Kafka refused after its retries").register(registry);
        FunctionCounter.builder("shopstream.producer.events.dropped", this, self -> self.count(EventSender::dropped))
                .description("Events dropped because max-inflight-messages events were waiting for Kafka").register(registry);
        Gauge.builder("shopstream.producer.rate", this, self -> self.status().eventsPerSecond())
                .description("The configured rate in events per second").register(registry);
        this.clock = Clock.systemUTC();
    }

    void start(@Observes StartupEvent startup) {
        Producer<String, String> producer = kafka.<String, String>getProducer(CHANNEL).unwrap();
        sender = new EventSender(producer, topic, maxInFlight);
        generator = new ShopTrafficGenerator(settings.profile());
        requireRateAllowed(settings.rate());
        requestedRate.set(settings.rate());
        running = true;
        loop = new Thread(this::run, "traffic-emitter");
        loop.setDaemon(true);
        loop.start();
        LOG.infof("Emitting shop traffic at %s events/s (seed %d, %d users, %d products, at most %d events in flight)", settings.rate(),
                generator.seed(), settings.users(), settings.products(), maxInFlight);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        Thread thread = loop;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** The cap in force: the channel's max-inflight-messages (0: none). */
    long maxInFlight() {
        return maxInFlight;
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

    @Override
    public ProducerStatus status() {
        double rate = requestedRate.get() == null ? settings.rate() : requestedRate.get();
        EventSender s = sender;
        return new ProducerStatus(rate, settings.maxRate(), rate == 0, count(EventSender::sent), count(EventSender::failed),
                count(EventSender::dropped), generator == null ? null : generator.seed(), s == null ? null : s.lastError());
    }

    private long count(java.util.function.ToLongFunction<EventSender> counter) {
        EventSender s = sender;
        return s == null ? 0 : counter.applyAsLong(s);
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
                    if (!sender.hasRoom()) { // Kafka is behind: drop the rest of this tick without making them
                        sender.drop(due - i);
                        behind = true;
                        break;
                    }
                    UserEvent event = generator.next(now);
                    sender.send(event.userId(), json.write(event));
                }
            }
            // Behind, wait a little rather than spin: the producer's and the broker's threads need the CPU.
            long sleep = behind ? MIN_SLEEP_NANOS : Math.min(MAX_SLEEP_NANOS, pacer.nanosUntilNext(System.nanoTime()));
            if (sleep > 0) {
                LockSupport.parkNanos(Math.max(MIN_SLEEP_NANOS, sleep));
            }
        }
    }
}
