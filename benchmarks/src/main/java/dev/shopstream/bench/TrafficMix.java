package dev.shopstream.bench;

import java.time.Duration;

/**
 * The settings of the realistic benchmark traffic ({@link RealisticTraffic}), each share of all records written.
 * docs/benchmarks.md ("Realistic traffic") lists the defaults and why.
 *
 * @param seed                 the same seed gives the same records, byte for byte
 * @param products             catalog size; popularity follows a Zipf law of exponent {@code popularitySkew}
 * @param users                shoppers; user_id is the record key, so one shopper's records share a partition
 * @param popularitySkew       Zipf exponent of product popularity (the producer service's default skew)
 * @param addToCartShare       share of new events that are add_to_cart
 * @param purchaseShare        share of new events that are purchases (the rest are product views)
 * @param duplicateShare       share of records that are a re-send of an earlier record: the same bytes and key
 * @param duplicateMeanDelay   how many records later a re-send follows its original, on average (exponential)
 * @param lateShare            share of new events stamped in the past, between {@code lateMin} and {@code lateMax}
 * @param nonAsciiShare        share of views going to products whose id and category are not ASCII (accents, CJK, emoji)
 * @param malformedShare       share of records that break the contract in one of {@link MalformedRecords.Kind}'s ways
 * @param eventsPerSecond      event-time pace of the stream (events per second of event time)
 */
record TrafficMix(long seed, int products, int users, double popularitySkew, double addToCartShare, double purchaseShare,
                  double duplicateShare, int duplicateMeanDelay, double lateShare, Duration lateMin, Duration lateMax,
                  double nonAsciiShare, double malformedShare, double eventsPerSecond) {

    static TrafficMix defaults() {
        return new TrafficMix(30, 500, 5_000, 1.1, 0.12, 0.05, 0.03, 200, 0.01, Duration.ofSeconds(20), Duration.ofMinutes(4),
                0.10, 0.001, 2_000);
    }

    TrafficMix {
        requireShare("duplicateShare", duplicateShare);
        requireShare("lateShare", lateShare);
        requireShare("nonAsciiShare", nonAsciiShare);
        requireShare("malformedShare", malformedShare);
        if (duplicateShare + malformedShare >= 1 || addToCartShare + purchaseShare >= 1) {
            throw new IllegalArgumentException("shares leave no room for new valid events or for views: " + this);
        }
        if (products < 1 || users < 1 || duplicateMeanDelay < 1 || eventsPerSecond <= 0 || lateMin.compareTo(lateMax) > 0) {
            throw new IllegalArgumentException("invalid traffic mix: " + this);
        }
    }

    private static void requireShare(String name, double share) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + share);
        }
    }
}
