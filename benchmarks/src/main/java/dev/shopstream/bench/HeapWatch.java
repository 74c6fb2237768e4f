package dev.shopstream.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peak of a JVM's used heap, sampled once a second with the JDK's jstat (the survivor, eden and old spaces' used
 * bytes): what a process's heap really needed, where its resident size also counts what the collector left committed.
 */
final class HeapWatch implements AutoCloseable {

    private final long pid;
    private final AtomicLong peakKib = new AtomicLong(-1);
    private final Thread sampler;
    private volatile boolean running = true;

    HeapWatch(long pid) {
        this.pid = pid;
        this.sampler = new Thread(this::sample, "heap-watch-" + pid);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The largest used heap seen, in KiB; -1 when no sample was taken. */
    long peakKib() {
        return peakKib.get();
    }

    private void sample() {
        Path jstat = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jstat");
        while (running) {
            try {
                Process process = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid)).redirectErrorStream(true).start();
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String header = out.readLine(); // the column names
                    String values = out.readLine();
                    process.waitFor();
                    peakKib.accumulateAndGet(usedKib(header, values), Math::max);
                }
                Thread.sleep(1000);
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                return; // close(): the run is over
            }
        }
    }

    static long usedKib(String header, String values) {
        if (header == null || values == null) {
            return -1;
        }
        String[] names = header.trim().split("\\s+");
        String[] numbers = values.trim().split("\\s+");
        double used = 0;
        for (int i = 0; i < names.length && i < numbers.length; i++) {
            if (names[i].equals("S0U") || names[i].equals("S1U") || names[i].equals("EU") || names[i].equals("OU")) {
                used += Double.parseDouble(numbers[i]);
            }
        }
        return (long) used;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
