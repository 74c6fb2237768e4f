package dev.shopstream.flink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Figure 2's peer: what a user who picked Flink SQL instead of the job would run. One Flink SQL query in a local
 * MiniCluster (parallelism = the machine's cores) over the benchmark's topic from the earliest to the latest offset:
 * the events as JSON (records that are not JSON dropped), the contract's checks as SQL predicates, event time with
 * a 1-minute watermark, each event_id kept once per Kafka partition (Flink's deduplication: ROW_NUMBER over partition and event_id in processing-time
 * order), and the three 2-minute tumbling-window aggregations. Their rows are collected, and written as the
 * benchmark's totals file (the format of benchmarks' bench.totals.AnalyticsTotals).
 *
 * <p>Prints {@value #RESULT} with the records read, the window operators' late drops and the time the query
 * finished; the benchmark times it from the launch of this JVM.
 *
 * <p>Arguments: bootstrap servers, topic, totals file.
 */
public final class FlinkSqlReference {

    static final String RESULT = "FLINK_RESULT";

    private FlinkSqlReference() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        Path totalsFile = Path.of(args[2]);
        int cores = Runtime.getRuntime().availableProcessors();

        Configuration conf = new Configuration();
        conf.setString("metrics.reporter.late.factory.class", LateDropReporterFactory.class.getName());
        conf.setString("table.local-time-zone", "UTC");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(cores, conf);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().set("table.local-time-zone", "UTC");

        tables.executeSql(ShopSql.sourceTable(topic, bootstrap));
        tables.executeSql(ShopSql.VALID_EVENTS);
        tables.executeSql(ShopSql.UNIQUE_EVENTS);
        TableResult result = tables.executeSql(ShopSql.WINDOW_TOTALS);

        Map<String, BigDecimal> totals = new TreeMap<>();
        long rows = 0;
        try (CloseableIterator<Row> it = result.collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                rows++;
                long windowStart = ((LocalDateTime) row.getField(1)).toInstant(ZoneOffset.UTC).toEpochMilli();
                String line = row.getField(0) + "\t" + windowStart + "\t" + escape((String) row.getField(2));
                totals.merge(line, (BigDecimal) row.getField(3), BigDecimal::add);
            }
        }
        long end = System.currentTimeMillis();
        Map<String, Long> late = LateDropReporter.byOperator();
        long lateMax = late.values().stream().mapToLong(Long::longValue).max().orElse(-1);
        System.out.println(RESULT + " topic=" + topic + " rows=" + rows + " end_epoch_ms=" + end + " late_dropped=" + lateMax
                + " late_operators=" + late.size() + " peak_rss_kib=" + peakRssKib());
        System.out.flush();
        write(totalsFile, totals);
        System.out.println("FLINK_TOTALS_WRITTEN " + totalsFile);
        System.out.flush();
        System.exit(0);
    }

    private static void write(Path file, Map<String, BigDecimal> totals) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, BigDecimal> e : totals.entrySet()) {
                boolean money = e.getKey().startsWith("revenue\t");
                // Counts as they are, revenue in cents: exact either way.
                long value = money ? e.getValue().movePointRight(2).longValueExact() : e.getValue().longValueExact();
                out.write(e.getKey() + "\t" + value + "\n");
            }
        }
    }

    /** As the benchmark's totals file escapes a key: backslash, tab and line breaks. */
    private static String escape(String key) {
        return key.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
