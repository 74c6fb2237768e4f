package dev.shopstream.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Realistic traffic ({@link RealisticTraffic}) sent live to a topic at a rate that can change while it runs: the
 * records figure 2 preloads (re-sent duplicates, late and malformed records, non-ASCII names, skewed popularity), with
 * event times of now, for the figures that measure the pipeline at a steady rate.
 *
 * <p>A thread of its own sends, every {@link #TICK}, what the schedule has made due since the rate was set. A fixed
 * schedule rather than a sleep per record: at tens of thousands of records a second the gap between two records is far
 * shorter than the shortest sleep, so a sleep per record would cap the rate.
 *
 * <p>Each rate is a step with a {@link RealisticTraffic} of its own: its event time is its record index over its
 * pace, so one traffic cannot change pace midway. A step's seed is the mix's seed plus the step's number, so a run's
 * steps send the same records every run, and no step repeats another's.
 *
 * <p>The producer and the record key are {@link KafkaSupport#preload}'s, so a re-sent duplicate lands in the same
 * partition as its first copy, as in the preloaded topics.
 */
final class PacedRealisticFeed implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(10);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String topic;
    private final TrafficMix mix;
    private final KafkaProducer<String, String> producer;
    private final Thread sender;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    /** Set when the sending thread itself died: what the feed delivers from then on is nothing, and must not be measured. */
    private final AtomicReference<RuntimeException> senderDied = new AtomicReference<>();
    private volatile Step step;
    private volatile boolean running = true;
    /** Rate steps begun so far (guarded by this). */
    private int steps;

    /** What the feed has delivered (acknowledged by Kafka) up to a moment: two marks give the rate delivered in between. */
    record Mark(long delivered, long nanos) {

        double perSecondSince(Mark earlier) {
            return (delivered - earlier.delivered) / ((nanos - earlier.nanos) / 1e9);
        }
    }

    /** One rate: its own traffic, whose event time starts when the step did, and how much of it has been handed to Kafka. */
    private static final class Step {
        final int eventsPerSecond;
        final long seed;
        final long startNanos;
        final RealisticTraffic traffic;
        /** Only the sending thread reads and writes it. */
        long sent;

        Step(int eventsPerSecond, long seed, long startNanos, RealisticTraffic traffic) {
            this.eventsPerSecond = eventsPerSecond;
            this.seed = seed;
            this.startNanos = startNanos;
            this.traffic = traffic;
        }
    }

    /** Starts sending {@code mix}'s traffic to {@code topic} at {@code eventsPerSecond} (the mix's own pace is not used). */
    PacedRealisticFeed(String bootstrap, String topic, TrafficMix mix, int eventsPerSecond) {
        requireRate(eventsPerSecond);
        this.topic = topic;
        this.mix = mix;
        this.producer = KafkaSupport.producer(bootstrap, true);
        rate(eventsPerSecond);
        sender = new Thread(this::sendOnSchedule, "paced-realistic-feed");
        sender.setDaemon(true);
        sender.start();
    }

    /** Sends at {@code eventsPerSecond} from now on: a new step, with traffic of its own whose event time starts now. */
    synchronized void rate(int eventsPerSecond) {
        requireRate(eventsPerSecond);
        requireSenderAlive();
        Instant start = Instant.now();
        long startNanos = System.nanoTime();
        step = new Step(eventsPerSecond, stepSeed(mix, steps), startNanos, stepTraffic(mix, steps, eventsPerSecond, start));
        steps++;
    }

    /** The delivered count now; {@link Mark#perSecondSince} of a later mark gives the rate actually delivered over the span. */
    Mark mark() {
        requireSenderAlive();
        return new Mark(delivered.get(), System.nanoTime());
    }

    /** The rate Kafka acknowledged from {@code earlier} to now: the rate delivered, which lags the rate asked when the feed falls behind. */
    double deliveredPerSecondSince(Mark earlier) {
        return mark().perSecondSince(earlier);
    }

    /** For a figure's description: "realistic traffic sent live at 2,000/s (seed 30): 3% re-sent duplicates, ...". */
    synchronized String describe() {
        String pace = steps == 1 ? String.format(Locale.ROOT, "at %,d/s (seed %d)", step.eventsPerSecond, step.seed)
                : String.format(Locale.ROOT, "at each step's rate (seeds %d to %d, one per rate step)", stepSeed(mix, 0), stepSeed(mix, steps - 1));
        return "realistic traffic sent live " + pace + ": " + mix.describeShares();
    }

    /** The traffic of rate step {@code number} (0 for the first rate): the mix at that pace, from the step's seed, event time from {@code start}. */
    static RealisticTraffic stepTraffic(TrafficMix mix, int number, int eventsPerSecond, Instant start) {
        return new RealisticTraffic(mix.withSeed(stepSeed(mix, number)).withEventsPerSecond(eventsPerSecond), start);
    }

    static long stepSeed(TrafficMix mix, int number) {
        return mix.seed() + number;
    }

    /**
     * Records due {@code elapsedNanos} into a step at {@code eventsPerSecond}: floor(rate x elapsed), counted from the
     * step's start in whole numbers, so that rounding never builds up however long the step runs.
     */
    static long recordsDue(int eventsPerSecond, long elapsedNanos) {
        if (elapsedNanos <= 0) {
            return 0;
        }
        return elapsedNanos / NANOS_PER_SECOND * eventsPerSecond + elapsedNanos % NANOS_PER_SECOND * eventsPerSecond / NANOS_PER_SECOND;
    }

    private void sendOnSchedule() {
        long tickNanos = TICK.toNanos();
        long nextTick = System.nanoTime();
        try {
            while (running) {
                Step current = step;
                long due = recordsDue(current.eventsPerSecond, System.nanoTime() - current.startNanos) - current.sent;
                // After a stall everything due is sent at once: the records keep their event times, as a producer's backlog does.
                for (long i = 0; i < due && running; i++) {
                    producer.send(KafkaSupport.record(topic, current.traffic.next()), this::acknowledged);
                    current.sent++;
                }
                nextTick += tickNanos;
                long wait = nextTick - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    nextTick = System.nanoTime(); // behind: tick from now rather than spin through the missed ticks
                }
            }
        } catch (RuntimeException e) {
            senderDied.set(e);
        }
    }

    private void acknowledged(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            delivered.incrementAndGet();
        } else {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, exception);
        }
    }

    private static void requireRate(int eventsPerSecond) {
        // RealisticTraffic's event time needs a pace: the figures never pause the feed, 1 event/s is their floor.
        if (eventsPerSecond < 1) {
            throw new IllegalArgumentException("the feed's rate must be at least 1 event/s, got " + eventsPerSecond);
        }
    }

    private void requireSenderAlive() {
        RuntimeException died = senderDied.get();
        if (died != null) {
            throw new IllegalStateException("the paced realistic feed to " + topic + " stopped sending: " + died, died);
        }
    }

    /** Stops the sending thread, then waits until Kafka has acknowledged or failed everything sent. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(sender);
        try {
            // Bounded: a send blocks at most the producer's max.block.ms.
            sender.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
        producer.close();
        if (failed.get() > 0) {
            Bench.log("the feed to %s: %,d records failed, %,d delivered; the first failure: %s", topic, failed.get(), delivered.get(),
                    firstFailure.get());
        }
    }
}
