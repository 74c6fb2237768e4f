package dev.shopstream.analytics.support;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A batch DataFrame shaped like Spark's Kafka source: binary value, topic, partition, offset. */
public final class KafkaRows {

    public static final String TOPIC = "user_events";
    private static final StructType KAFKA_SCHEMA = new StructType()
            .add("key", DataTypes.BinaryType)
            .add("value", DataTypes.BinaryType)
            .add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType);

    private KafkaRows() {
    }

    /** Payloads on partition 0 at offsets 0, 1, 2...; a null payload is a record without a value. */
    public static Dataset<Row> of(SparkSession spark, List<String> payloads) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            String payload = payloads.get(i);
            rows.add(RowFactory.create(null, payload == null ? null : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    TOPIC, 0, (long) i));
        }
        return spark.createDataFrame(rows, KAFKA_SCHEMA);
    }
}
