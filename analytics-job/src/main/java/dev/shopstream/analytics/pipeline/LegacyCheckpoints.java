package dev.shopstream.analytics.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import dev.shopstream.analytics.settings.JobSettings;
import dev.shopstream.analytics.settings.Setting;

/**
 * Until 1.0 the job ran four queries, each with a checkpoint of its own under CHECKPOINT_DIR. Their offsets
 * and state do not fit the one query of today, and resuming beside them silently would start from
 * STARTING_OFFSETS instead: the job refuses such a directory and says what to do.
 */
final class LegacyCheckpoints {

    static final List<String> FOUR_QUERY_LAYOUT = List.of("product_views", "category_activity", "category_revenue", "rejected_events");

    private LegacyCheckpoints() {
    }

    static void refuse(JobSettings settings, Configuration hadoop) {
        List<String> found = new ArrayList<>();
        try {
            Path root = new Path(settings.checkpointDir());
            FileSystem fs = root.getFileSystem(hadoop);
            for (String query : FOUR_QUERY_LAYOUT) {
                if (fs.exists(new Path(root, query))) {
                    found.add(query);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot look into " + Setting.CHECKPOINT_DIR.label() + " " + settings.checkpointDir(), e);
        }
        if (!found.isEmpty()) {
            throw new IllegalStateException(Setting.CHECKPOINT_DIR.label() + " " + settings.checkpointDir()
                    + " holds checkpoints of the old four-query layout (" + String.join(", ", found) + "), which this job"
                    + " cannot resume. Point " + Setting.CHECKPOINT_DIR.envName() + " at a new, empty directory (or delete"
                    + " the old one): the job then recomputes every window from the data Kafka still retains, and since"
                    + " its writes overwrite, the tables end up with the same values.");
        }
    }
}
