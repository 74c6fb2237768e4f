package dev.shopstream.analytics.support;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import dev.shopstream.contract.EventContract;

/** A batch DataFrame shaped like Spark's Kafka source: binary value, topic, partition, offset. */
public final class KafkaRows {

    public static final String TOPIC = EventContract.TOPIC;
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
        List<byte[]> values = new ArrayList<>();
        for (String payload : payloads) {
            values.add(payload == null ? null : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return ofBytes(spark, values);
    }

    /** Values as the bytes they are (which need not be UTF-8), on partition 0 at offsets 0, 1, 2... */
    public static Dataset<Row> ofBytes(SparkSession spark, List<byte[]> values) {
        return spark.createDataFrame(rows(values), KAFKA_SCHEMA);
    }

    /** As {@link #ofBytes}, each record in a partition of its own. */
    public static Dataset<Row> ofBytesOnePartitionEach(SparkSession spark, List<byte[]> values) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(context.parallelize(rows(values), Math.max(1, values.size())), KAFKA_SCHEMA);
    }

    private static List<Row> rows(List<byte[]> values) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            rows.add(RowFactory.create(null, values.get(i), TOPIC, 0, (long) i));
        }
        return rows;
    }
}
