package dev.shopstream.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM whose output is copied, line by line and prefixed, to a stream of ours, and which can be
 * awaited on a line it prints and stopped (gracefully, then forcibly).
 */
public final class ManagedProcess implements AutoCloseable {

    /**
     * How long {@link #close()} waits after SIGTERM before SIGKILL: the job and the service are gone within 30 s of
     * SIGTERM (their stop's bound, past which they halt themselves), and this leaves them that time and a margin.
     */
    public static final Duration STOP_GRACE = Duration.ofSeconds(35);

    private final String name;
    private final Process process;
    private final List<Waiter> waiters = new ArrayList<>();
    private final StringBuilder recentOutput = new StringBuilder();

    private record Waiter(Predicate<String> condition, CompletableFuture<String> line) {
    }

    private ManagedProcess(String name, Process process, PrintStream echo, boolean quiet) {
        this.name = name;
        this.process = process;
        Thread pump = new Thread(() -> pump(echo, quiet), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code java jvmArgs... mainClassOrJar args...} with the JVM running this code. */
    public static ManagedProcess startJava(String name, List<String> command, Map<String, String> environment,
                                           Path workingDir, PrintStream echo, boolean quiet) {
        List<String> full = new ArrayList<>();
        full.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).directory(workingDir.toFile());
        builder.environment().putAll(environment);
        try {
            return new ManagedProcess(name, builder.start(), echo, quiet);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes when the process has exited, however it ended. */
    public CompletableFuture<Void> onExit() {
        return process.onExit().thenApply(p -> null);
    }

    /** The exit status; only meaningful once the process has exited. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Waits for a line of output that matches, failing early when the process exits. */
    public String awaitLine(Predicate<String> condition, Duration timeout) {
        return await(watchFor(condition), timeout);
    }

    /**
     * Starts watching for a line without waiting: for processes started together and awaited one after the
     * other, whose lines may come while another is awaited (awaitLine sees only the lines after it is called).
     * The future fails when the process exits first.
     */
    public CompletableFuture<String> watchFor(Predicate<String> condition) {
        CompletableFuture<String> found = new CompletableFuture<>();
        synchronized (waiters) {
            waiters.add(new Waiter(condition, found));
        }
        process.onExit().thenRun(() -> found.completeExceptionally(new IllegalStateException(
                name + " exited with code " + process.exitValue() + ". Its last output:\n" + recentOutput())));
        return found;
    }

    /** Waits for a line {@link #watchFor} is watching for. */
    public String await(CompletableFuture<String> line, Duration timeout) {
        try {
            return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(name + " did not get ready within " + timeout + ". Its last output:\n" + recentOutput());
        } catch (java.util.concurrent.ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name, e);
        }
    }

    /** SIGTERM, so the JVM runs its shutdown hooks; SIGKILL if it has not gone after the grace period. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                killHard();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killHard();
        }
    }

    /** SIGKILL, without a chance to clean up: what a crash looks like to the rest of the pipeline. */
    public void killHard() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stop(Duration)} with {@link #STOP_GRACE}. */
    @Override
    public void close() {
        stop(STOP_GRACE);
    }

    public String recentOutput() {
        synchronized (recentOutput) {
            return recentOutput.toString();
        }
    }

    private void pump(PrintStream echo, boolean quiet) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                remember(line);
                if (!quiet) {
                    echo.println("[" + name + "] " + line);
                }
                synchronized (waiters) {
                    for (Waiter waiter : waiters) {
                        if (!waiter.line().isDone() && waiter.condition().test(line)) {
                            waiter.line().complete(line);
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // The process has gone; its exit is reported by onExit.
        }
    }

    private void remember(String line) {
        synchronized (recentOutput) {
            recentOutput.append(line).append('\n');
            int excess = recentOutput.length() - 20_000;
            if (excess > 0) {
                recentOutput.delete(0, excess);
            }
        }
    }
}
