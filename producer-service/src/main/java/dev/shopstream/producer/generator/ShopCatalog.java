package dev.shopstream.producer.generator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The products of the simulated shop: each with a fixed category and unit price, and a popularity that
 * follows a Zipf law over a shuffled ranking, so a few products are hot and most are rarely seen.
 */
final class ShopCatalog {

    record Product(String id, String category, BigDecimal price) {
    }

    private static final BigDecimal MIN_PRICE = new BigDecimal("0.99");

    private final Product[] products;
    /** cumulativePopularity[i] = P(product index <= i); sampled by binary search. */
    private final double[] cumulativePopularity;

    ShopCatalog(TrafficProfile profile, SplittableRandom random) {
        List<String> categories = profile.categories();
        // Each category has its own price level: books cost less than electronics.
        double[] categoryBasePrice = new double[categories.size()];
        for (int c = 0; c < categoryBasePrice.length; c++) {
            categoryBasePrice[c] = 5 + random.nextDouble() * 195;
        }
        int width = Math.max(4, String.valueOf(profile.products()).length());
        products = new Product[profile.products()];
        for (int i = 0; i < products.length; i++) {
            int category = random.nextInt(categories.size());
            double spread = Math.exp((random.nextDouble() - 0.5) * 1.5);
            BigDecimal price = BigDecimal.valueOf(categoryBasePrice[category] * spread).setScale(2, RoundingMode.HALF_UP).max(MIN_PRICE);
            products[i] = new Product(String.format("prod_%0" + width + "d", i + 1), categories.get(category), price);
        }
        cumulativePopularity = zipfCumulative(products.length, profile.popularitySkew(), random);
    }

    int size() {
        return products.length;
    }

    Product get(int index) {
        return products[index];
    }

    /** A product index drawn by popularity. */
    int samplePopular(SplittableRandom random) {
        int index = Arrays.binarySearch(cumulativePopularity, random.nextDouble());
        int slot = index >= 0 ? index : -index - 1;
        return Math.min(slot, products.length - 1);
    }

    private static double[] zipfCumulative(int size, double skew, SplittableRandom random) {
        int[] rankOf = new int[size];
        for (int i = 0; i < size; i++) {
            rankOf[i] = i;
        }
        for (int i = size - 1; i > 0; i--) { // Fisher-Yates: which products are hot is itself random
            int j = random.nextInt(i + 1);
            int swap = rankOf[i];
            rankOf[i] = rankOf[j];
            rankOf[j] = swap;
        }
        double[] weights = new double[size];
        double total = 0;
        for (int i = 0; i < size; i++) {
            weights[i] = 1.0 / Math.pow(rankOf[i] + 1, skew);
            total += weights[i];
        }
        double running = 0;
        for (int i = 0; i < size; i++) {
            running += weights[i] / total;
            weights[i] = running;
        }
        weights[size - 1] = 1.0;
        return weights;
    }
}
