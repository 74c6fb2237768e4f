package dev.shopstream.analytics.support;

import java.io.Serializable;

/** A record with the columns of Spark's Kafka source that the job reads: what a MemoryStream feeds the job. */
public class KafkaLikeRecord implements Serializable {

    private String value;
    private String topic;
    private int partition;
    private long offset;

    public KafkaLikeRecord() {
    }

    public KafkaLikeRecord(String value, String topic, int partition, long offset) {
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public int getPartition() {
        return partition;
    }

    public void setPartition(int partition) {
        this.partition = partition;
    }

    public long getOffset() {
        return offset;
    }

    public void setOffset(long offset) {
        this.offset = offset;
    }
}
