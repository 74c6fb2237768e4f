package dev.shopstream.analytics;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.time.Duration;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import dev.shopstream.analytics.settings.Durations;

/**
 * The stop's bound: from the moment the JVM starts to shut down (SIGTERM, Ctrl-C, spark-submit's kill), the job is
 * gone within {@link #bound()}, 30 s unless {@value #BOUND_PROPERTY} says otherwise. Its graceful stop has budgets
 * inside that bound (see {@link RunningJob#stop()}); if the JVM is still alive near the bound, every thread's stack
 * is logged (what held the stop) and the JVM halts. Supervisors (Kubernetes, YARN, compose, the local stack) kill
 * after their own grace period, and a stop that hangs turns every deploy into a kill -9 with nothing to show why.
 * A halt is as safe as any crash: the batch in flight is replayed from the checkpoint on the next start.
 */
final class StopWatchdog {

    /** A system property (-Dshopstream.stop.bound=20s) for a supervisor whose grace period is shorter. */
    static final String BOUND_PROPERTY = "shopstream.stop.bound";
    static final Duration DEFAULT_BOUND = Duration.ofSeconds(30);
    /** What a JVM stopped by SIGTERM exits with (128 + 15): a halted stop still reads as a stop to the supervisor. */
    static final int HALT_STATUS = 143;
    /** Printed when it halts the JVM. */
    static final String HALTING = "did not stop within";
    private static final Logger LOG = LogManager.getLogger(StopWatchdog.class);

    private StopWatchdog() {
    }

    /** The bound: {@value #BOUND_PROPERTY} (Spark's duration syntax, e.g. 20s) when set, else 30 s. */
    static Duration bound() {
        String configured = System.getProperty(BOUND_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return DEFAULT_BOUND;
        }
        Duration bound;
        try {
            bound = Durations.parse(configured);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(BOUND_PROPERTY + "='" + configured + "': " + e.getMessage(), e);
        }
        if (bound.compareTo(Duration.ofSeconds(6)) < 0) {
            throw new IllegalArgumentException(BOUND_PROPERTY + " must be at least 6 s, got " + configured);
        }
        return bound;
    }

    /** When the watchdog halts: leaves the thread dump and the halt time to finish within the bound. */
    static Duration haltAfter() {
        return bound().multipliedBy(5).dividedBy(6);
    }

    /**
     * Registers a JVM shutdown hook that starts the countdown as soon as the JVM begins to stop, whatever the other
     * hooks wait for. The hook returns at once (the countdown is a daemon thread): a clean stop exits as early as it can.
     */
    static void armOnShutdown() {
        Duration haltAfter = haltAfter();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread countdown = new Thread(() -> countDown(haltAfter), "stop-watchdog");
            countdown.setDaemon(true);
            countdown.start();
        }, "stop-watchdog-arm"));
    }

    private static void countDown(Duration haltAfter) {
        try {
            Thread.sleep(haltAfter.toMillis());
        } catch (InterruptedException e) {
            return;
        }
        // Written by a thread of its own: an output nobody reads any more (a full pipe) must not hold the halt too.
        Thread report = new Thread(() -> {
            String dump = threadDump();
            // Standard error as well as the log: the logging system may itself be what is stuck.
            System.err.println("The job " + HALTING + " " + Durations.format(haltAfter) + " of the signal; halting. Its threads:\n" + dump);
            System.err.flush();
            LOG.error("The job {} {} of the signal; halting (its threads are on standard error)", HALTING, Durations.format(haltAfter));
        }, "stop-watchdog-report");
        report.setDaemon(true);
        report.start();
        try {
            report.join(bound().minus(haltAfter).dividedBy(2).toMillis());
        } catch (InterruptedException e) {
            // halt all the same
        }
        Runtime.getRuntime().halt(HALT_STATUS);
    }

    /** Every thread with its full stack and the locks it holds and waits for (jstack's content, which SIGQUIT may not reach). */
    static String threadDump() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(thread.getThreadName()).append("\" ").append(thread.isDaemon() ? "daemon " : "")
                    .append(thread.getThreadState());
            if (thread.getLockName() != null) {
                dump.append(" on ").append(thread.getLockName());
            }
            if (thread.getLockOwnerName() != null) {
                dump.append(" owned by \"").append(thread.getLockOwnerName()).append('"');
            }
            dump.append('\n');
            StackTraceElement[] stack = thread.getStackTrace();
            for (int i = 0; i < stack.length; i++) {
                dump.append("    at ").append(stack[i]).append('\n');
                for (MonitorInfo monitor : thread.getLockedMonitors()) {
                    if (monitor.getLockedStackDepth() == i) {
                        dump.append("    - locked ").append(monitor).append('\n');
                    }
                }
            }
            for (LockInfo lock : thread.getLockedSynchronizers()) {
                dump.append("    - holds ").append(lock).append('\n');
            }
            dump.append('\n');
        }
        return dump.toString();
    }
}
