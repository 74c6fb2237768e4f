package dev.shopstream.producer.pipeline;

/**
 * What the pipeline's health needs of the producer: its status now. The generator's emitter provides it, so the read
 * side knows the producer only through this interface, never the writer itself.
 */
public interface ProducerStatusSource {

    ProducerStatus status();
}
