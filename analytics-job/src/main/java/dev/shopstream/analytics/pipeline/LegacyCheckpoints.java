package dev.shopstream.analytics.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import dev.shopstream.analytics.settings.JobSettings;
import dev.shopstream.analytics.settings.Setting;

/**
 * Checkpoints of earlier layouts that the query cannot resume, refused at start-up with what to do:
 * <ul>
 * <li>Until 1.0 the job ran four queries, each with a checkpoint of its own under CHECKPOINT_DIR. Resuming beside
 * them silently would start from STARTING_OFFSETS instead.</li>
 * <li>The first one-query layout de-duplicated with dropDuplicatesWithinWatermark in Spark's in-heap state store.
 * Its state does not fit the de-duplication of today (transformWithState, in RocksDB), and Spark keeps the
 * store a checkpoint was started with: the query would fail on its first batch with an error about state.</li>
 * <li>The next one de-duplicated by event_id in a stateful operator of its own (state/0) and aggregated in a
 * second one (state/1). Today one operator, keyed by (window, product, category), does both: Spark would refuse
 * the first operator's state with an error about its key schema.</li>
 * </ul>
 */
final class LegacyCheckpoints {

    private static final Pattern STORE_IN_METADATA = Pattern.compile("\"" + Pattern.quote(StateStoreChoice.PROVIDER) + "\":\"([^\"]+)\"");
    /** The state of a second stateful operator: today's query has one. */
    static final String SECOND_OPERATOR_STATE = "state/1";
    static final List<String> FOUR_QUERY_LAYOUT = List.of("product_views", "category_activity", "category_revenue", "rejected_events");

    private LegacyCheckpoints() {
    }

    static void refuse(JobSettings settings, Configuration hadoop) {
        List<String> found = new ArrayList<>();
        boolean inHeapStore;
        boolean twoOperators;
        try {
            Path root = new Path(settings.checkpointDir());
            FileSystem fs = root.getFileSystem(hadoop);
            for (String query : FOUR_QUERY_LAYOUT) {
                if (fs.exists(new Path(root, query))) {
                    found.add(query);
                }
            }
            Path query = new Path(root, StreamingPipeline.QUERY_NAME);
            inHeapStore = startedWithAnotherStore(fs, new Path(query, "offsets"));
            twoOperators = fs.exists(new Path(query, SECOND_OPERATOR_STATE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot look into " + Setting.CHECKPOINT_DIR.label() + " " + settings.checkpointDir(), e);
        }
        if (!found.isEmpty()) {
            throw refusal(settings, "checkpoints of the old four-query layout (" + String.join(", ", found) + ")");
        }
        if (inHeapStore) {
            throw refusal(settings, "a checkpoint of the earlier one-query layout (" + StreamingPipeline.QUERY_NAME
                    + ", de-duplicated in Spark's in-heap state store)");
        }
        if (twoOperators) {
            throw refusal(settings, "a checkpoint of the earlier one-query layout (" + StreamingPipeline.QUERY_NAME
                    + ", de-duplicated by event_id in a stateful operator of its own)");
        }
    }

    private static IllegalStateException refusal(JobSettings settings, String what) {
        return new IllegalStateException(Setting.CHECKPOINT_DIR.label() + " " + settings.checkpointDir() + " holds " + what
                + ", which this job cannot resume. Point " + Setting.CHECKPOINT_DIR.envName() + " at a new, empty directory (or"
                + " delete the old one): the job then recomputes every window from the data Kafka still retains, and since"
                + " its writes overwrite, the tables end up with the same values.");
    }

    /**
     * Whether the query's newest offset-log entry records a state store other than {@link StateStoreChoice#ROCKSDB}
     * (Spark writes the session's store class into each entry's metadata, and a restart keeps it).
     */
    private static boolean startedWithAnotherStore(FileSystem fs, Path offsets) throws IOException {
        if (!fs.exists(offsets)) {
            return false;
        }
        Path newest = null;
        long newestBatch = -1;
        for (FileStatus entry : fs.listStatus(offsets)) {
            String name = entry.getPath().getName();
            if (name.matches("\\d+") && Long.parseLong(name) > newestBatch) {
                newestBatch = Long.parseLong(name);
                newest = entry.getPath();
            }
        }
        if (newest == null) {
            return false;
        }
        String content;
        try (var in = fs.open(newest)) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher store = STORE_IN_METADATA.matcher(content);
        return store.find() && !store.group(1).equals(StateStoreChoice.ROCKSDB);
    }
}
