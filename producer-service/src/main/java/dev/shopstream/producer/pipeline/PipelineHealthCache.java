package dev.shopstream.producer.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The latest pipeline health that anyone read (GET /metrics/pipeline, the dashboard, a Prometheus scrape), so
 * that the gauges of one scrape, and a scrape right after the dashboard's poll, share one database read.
 * A failed read is remembered too (as no health), so that a scrape while the database is down waits for the
 * database once, not once per gauge.
 */
@ApplicationScoped
public class PipelineHealthCache {

    private static final Logger LOG = Logger.getLogger(PipelineHealthCache.class);

    /** A read's outcome: the health, or null when the read failed. */
    private record Entry(PipelineHealth health, long readAtNanos) {
    }

    private final LongSupplier nanoClock;
    private final List<Consumer<PipelineHealth>> listeners = new CopyOnWriteArrayList<>();
    private volatile Entry latest;
    private volatile PipelineHealth latestGood;

    @Inject
    public PipelineHealthCache() {
        this(System::nanoTime);
    }

    PipelineHealthCache(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Keeps a health just read, and tells the listeners (the meters learn new query names from it). */
    public void remember(PipelineHealth health) {
        latest = new Entry(health, nanoClock.getAsLong());
        latestGood = health;
        listeners.forEach(listener -> listener.accept(health));
    }

    /** Called with every health read from now on. */
    public void onRead(Consumer<PipelineHealth> listener) {
        listeners.add(listener);
    }

    /**
     * The health read within {@code maxAge}, else the one {@code read} returns now (one read at a time: callers
     * that arrive meanwhile wait for it and share it); null if that read fails.
     */
    public PipelineHealth recent(Duration maxAge, Supplier<PipelineHealth> read) {
        Entry entry = latest;
        if (isFresh(entry, maxAge)) {
            return entry.health();
        }
        synchronized (this) {
            entry = latest;
            if (isFresh(entry, maxAge)) {
                return entry.health();
            }
            try {
                PipelineHealth health = read.get();
                remember(health);
                return health;
            } catch (RuntimeException e) {
                LOG.debugf("Pipeline health unavailable for the metrics: %s", e.getMessage());
                latest = new Entry(null, nanoClock.getAsLong());
                return null;
            }
        }
    }

    /** The latest health read successfully, however old: what cumulative counters keep showing during an outage. */
    public PipelineHealth latestGood() {
        return latestGood;
    }

    private boolean isFresh(Entry entry, Duration maxAge) {
        return entry != null && nanoClock.getAsLong() - entry.readAtNanos() < maxAge.toNanos();
    }
}
