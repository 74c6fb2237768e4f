package dev.shopstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProducerServiceProcess;

/**
 * Figure 4: wrk against two read endpoints of the service, and pgbench running the SQL those endpoints run
 * (as prepared statements, the way the service's reactive client sends them) at the same concurrency against
 * the same database. The database holds a day of the job's output for the service's default shop: 720
 * two-minute windows x 500 products, and 10 categories per window, written window after window as the job
 * writes them.
 */
final class ApiBench {

    static final int CONNECTIONS = 64;

    record Endpoint(String name, String path, String sql) {
    }

    /** The SQL of AnalyticsRepository.windows and .leaders, as the service prepares it for these requests. */
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("/metrics/product-views?limit=100", "/metrics/product-views?limit=100",
                    "\\set limit 100\n" + windowState() + " WHERE true ORDER BY t.window_start DESC, t.view_count DESC, t.product_id LIMIT :limit;\n"),
            new Endpoint("/metrics/top-products", "/metrics/top-products",
                    "\\set n 10\n" + windowState() + " WHERE t.window_start = COALESCE(NULL::timestamptz, (SELECT max(window_start) "
                            + "FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW + ")) ORDER BY t.view_count DESC, t.product_id LIMIT :n;\n"));

    /** AnalyticsRepository.windowState for product_view_window: each row, whether its window is final, and its audit. */
    private static String windowState() {
        return "WITH newest AS MATERIALIZED (SELECT watermark FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE query_name = '"
                + AnalyticsSchema.QUERY_NAME + "' "
                + "ORDER BY batch_time DESC, batch_id DESC LIMIT 1) "
                + "SELECT t.window_start, t.window_end, t.product_id AS key, t.view_count AS value, "
                + "coalesce(t.window_end <= (SELECT watermark FROM newest), false) AS is_final, "
                + "a.unexplained AS audit_unexplained, a.mismatched_keys AS audit_mismatched_keys, a.audited_at AS audit_audited_at "
                + "FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW + " t "
                + "LEFT JOIN " + AnalyticsSchema.AUDIT_WINDOW + " a ON a.window_start = t.window_start AND a.table_name = '"
                + AnalyticsSchema.PRODUCT_VIEW_WINDOW + "'";
    }

    /** A day of windows of the default length (AnalyticsSchema.DEFAULT_WINDOW) in the three tables. */
    static final String DAY_OF_DATA = """
            INSERT INTO %2$s (window_start, window_end, product_id, view_count)
            SELECT ws, ws + %1$s, 'prod_' || lpad(p::text, 4, '0'), 1 + (2000.0 / p)::bigint + (random() * 20)::bigint
            FROM generate_series(date_trunc('hour', now()) - interval '24 hours', date_trunc('hour', now()) - %1$s,
                                 %1$s) ws,
                 generate_series(1, 500) p
            ORDER BY ws, p;
            INSERT INTO %3$s (window_start, window_end, category, event_count)
            SELECT ws, ws + %1$s, c, 20000 + (random() * 5000)::bigint
            FROM generate_series(date_trunc('hour', now()) - interval '24 hours', date_trunc('hour', now()) - %1$s,
                                 %1$s) ws,
                 unnest(ARRAY['electronics','books','fashion','home & kitchen','sports','toys','beauty','grocery','garden','automotive']) c;
            INSERT INTO %4$s (window_start, window_end, category, total_revenue)
            SELECT window_start, window_end, category, round((event_count * 2.5)::numeric, 2) FROM %3$s;
            ANALYZE;
            """.formatted("interval '" + AnalyticsSchema.DEFAULT_WINDOW.toSeconds() + " seconds'", AnalyticsSchema.PRODUCT_VIEW_WINDOW,
            AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW, AnalyticsSchema.CATEGORY_REVENUE_WINDOW);

    record Load(double perSecond, double p50Ms, double p99Ms, long errors) {
    }

    record Outcome(Endpoint endpoint, Load wrk, Load pgbench) {
    }

    private ApiBench() {
    }

    static List<Outcome> run(Stack stack, Mode mode, PostgresDatabase db) {
        db.execute(DAY_OF_DATA);
        Map<String, String> settings = ProducerServiceProcess.settings(stack.bootstrap(), db);
        settings.putAll(Map.of("PRODUCER_RATE", "0", "MP_MESSAGING_OUTGOING_USER_EVENTS_TOPIC", ProducerBench.SERVICE_TOPIC));
        int port = KafkaBrokerProcess.freePort();
        ManagedProcess service = stack.track(ProducerServiceProcess.startAndAwaitReady(stack.layout, settings, port,
                Stack.serviceJvm(), stack.echo(), stack.quiet()));
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (Endpoint endpoint : ENDPOINTS) {
                String url = "http://127.0.0.1:" + port + endpoint.path();
                wrk(url, Math.max(3, mode.apiSeconds() / 3)); // warm-up: JIT, pool connections
                Load http = wrk(url, mode.apiSeconds());
                Load sql = pgbench(stack, db, endpoint, mode.apiSeconds());
                Bench.log("%s: wrk %s req/s p99 %.1f ms; pgbench %s tps p99 %.1f ms", endpoint.name(), Bench.rate(http.perSecond()),
                        http.p99Ms(), Bench.rate(sql.perSecond()), sql.p99Ms());
                outcomes.add(new Outcome(endpoint, http, sql));
            }
        } finally {
            Stack.stop(service);
        }
        return outcomes;
    }

    static Load wrk(String url, int seconds) {
        String out = exec(List.of("wrk", "-t2", "-c" + CONNECTIONS, "-d" + seconds + "s", "--latency", url), Map.of());
        double rps = Double.parseDouble(find(out, "Requests/sec:\\s+([\\d.]+)"));
        long errors = 0;
        String non2xx = findOrNull(out, "Non-2xx or 3xx responses:\\s+(\\d+)");
        if (non2xx != null) {
            errors += Long.parseLong(non2xx);
        }
        String socket = findOrNull(out, "Socket errors: (.*)");
        if (socket != null) {
            for (Matcher m = Pattern.compile("(\\d+)").matcher(socket); m.find(); ) {
                errors += Long.parseLong(m.group(1));
            }
        }
        return new Load(rps, millis(find(out, "\\n\\s+50%\\s+(\\S+)")), millis(find(out, "\\n\\s+99%\\s+(\\S+)")), errors);
    }

    static Load pgbench(Stack stack, PostgresDatabase db, Endpoint endpoint, int seconds) {
        Path dir = stack.dir("pgbench-" + Math.abs(endpoint.name().hashCode()));
        Path script = dir.resolve("query.sql");
        try {
            Files.writeString(script, endpoint.sql(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String out = exec(List.of(pgbenchBinary(), "-n", "-M", "prepared", "-c", String.valueOf(CONNECTIONS), "-j", "2", "-T",
                String.valueOf(seconds), "-f", script.toString(), "-l", "--log-prefix=" + dir.resolve("log"), "-h", db.host(), "-p",
                String.valueOf(db.port()), "-U", db.user(), db.database()), Map.of("PGPASSWORD", db.password()));
        double tps = Double.parseDouble(find(out, "tps = ([\\d.]+)"));
        List<Double> latencies = new ArrayList<>();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("log")).toList()) {
                try (Stream<String> lines = Files.lines(log)) {
                    lines.forEach(line -> latencies.add(Long.parseLong(line.split(" ")[2]) / 1000.0));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String failed = findOrNull(out, "number of failed transactions: (\\d+)");
        Bench.deleteRecursively(dir);
        return new Load(tps, Bench.percentile(latencies, 50), Bench.percentile(latencies, 99), failed == null ? 0 : Long.parseLong(failed));
    }

    static String pgbenchBinary() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable).sorted().reduce((a, b) -> b)
                    .map(Path::toString).orElse("pgbench");
        } catch (IOException e) {
            return "pgbench";
        }
    }

    static boolean available(String tool) {
        try {
            Process p = new ProcessBuilder(tool.equals("pgbench") ? pgbenchBinary() : tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String exec(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            if (code != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + code + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String find(String text, String regex) {
        String found = findOrNull(text, regex);
        if (found == null) {
            throw new IllegalStateException("No '" + regex + "' in:\n" + text);
        }
        return found;
    }

    private static String findOrNull(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** wrk's durations: 950.00us, 1.23ms, 2.01s, 1.00m. */
    static double millis(String value) {
        Matcher m = Pattern.compile("([\\d.]+)(us|ms|s|m)").matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a wrk duration: " + value);
        }
        double amount = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> amount / 1000;
            case "ms" -> amount;
            case "s" -> amount * 1000;
            default -> amount * 60_000;
        };
    }
}
