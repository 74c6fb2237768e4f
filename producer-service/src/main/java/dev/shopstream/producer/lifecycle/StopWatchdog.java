package dev.shopstream.producer.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * The stop's last resort: from the moment the JVM starts to shut down (SIGTERM, Ctrl-C), the service has
 * {@link #HALT_AFTER} to be gone; if it is still there, every thread's stack is logged (what held it) and the JVM
 * halts. Supervisors (Kubernetes, compose, systemd, the local stack) kill after their own grace period, and a stop
 * that hangs turns every deploy into a kill -9 with nothing logged. The graceful parts each have a smaller bound of
 * their own (quarkus.shutdown.timeout for requests in flight, the Kafka channel's close-timeout), so this fires
 * only when something else hangs.
 */
@ApplicationScoped
public class StopWatchdog {

    /** What docs/operations.md promises: the service is gone within this long after SIGTERM. */
    public static final Duration BOUND = Duration.ofSeconds(30);
    /** Leaves the thread dump and the halt time to finish within {@link #BOUND}. */
    static final Duration HALT_AFTER = BOUND.minusSeconds(5);
    /** What a JVM stopped by SIGTERM exits with (128 + 15): the supervisor sees a stop, not a crash. */
    static final int STATUS = 143;
    private static final Logger LOG = Logger.getLogger(StopWatchdog.class);
    private static final AtomicBoolean ARMED = new AtomicBoolean();

    void arm(@Observes StartupEvent start) {
        // Once per JVM: an application started again in the same JVM (tests, dev mode) needs no second hook.
        if (ARMED.compareAndSet(false, true)) {
            // A hook of its own, so it starts the countdown as soon as the JVM begins to stop, whatever Quarkus's own
            // hook waits for; it returns at once (the countdown is a daemon thread), never delaying a clean exit.
            Runtime.getRuntime().addShutdownHook(new Thread(StopWatchdog::startCountdown, "stop-watchdog-arm"));
        }
    }

    private static void startCountdown() {
        Thread countdown = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            LOG.errorf("The service did not stop within %d s of the signal; halting. Its threads:%n%s", HALT_AFTER.toSeconds(), threadDump());
            Runtime.getRuntime().halt(STATUS);
        }, "stop-watchdog");
        countdown.setDaemon(true);
        countdown.start();
    }

    static String threadDump() {
        StringBuilder dump = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            dump.append('"').append(thread.getKey().getName()).append("\" ").append(thread.getKey().getState()).append('\n');
            for (StackTraceElement frame : thread.getValue()) {
                dump.append("    at ").append(frame).append('\n');
            }
        }
        return dump.toString();
    }
}
