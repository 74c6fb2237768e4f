package dev.shopstream.bench;

import java.time.Duration;
import java.util.Locale;

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

    /** The same mix drawn from another seed: another stream of records in the same shares. */
    TrafficMix withSeed(long otherSeed) {
        return new TrafficMix(otherSeed, products, users, popularitySkew, addToCartShare, purchaseShare, duplicateShare, duplicateMeanDelay,
                lateShare, lateMin, lateMax, nonAsciiShare, malformedShare, eventsPerSecond);
    }

    /** The same mix at another event-time pace. */
    TrafficMix withEventsPerSecond(double pace) {
        return new TrafficMix(seed, products, users, popularitySkew, addToCartShare, purchaseShare, duplicateShare, duplicateMeanDelay,
                lateShare, lateMin, lateMax, nonAsciiShare, malformedShare, pace);
    }

    /** The shares in words, for a figure's description: "3% re-sent duplicates, 1% late, ..., Zipf 1.1 over 500 products". */
    String describeShares() {
        return String.format(Locale.ROOT, "%s re-sent duplicates, %s late, %s malformed, %s non-ASCII names, Zipf %.1f over %,d products",
                percent(duplicateShare), percent(lateShare), percent(malformedShare), percent(nonAsciiShare), popularitySkew, products);
    }

    /** 0.03 as "3%", 0.001 as "0.1%": no trailing zeros, so the shares read as docs/benchmarks.md writes them. */
    private static String percent(double share) {
        return java.math.BigDecimal.valueOf(share).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    private static void requireShare(String name, double share) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + share);
        }
    }
}
