package dev.shopstream.bench;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The realistic traffic's shop: products with a fixed category and price, popularity by a Zipf law over a shuffled
 * ranking (as the producer service's catalog), and a set of "international" products, chosen so that they draw about
 * {@code nonAsciiShare} of all picks, whose ids and categories are not ASCII: accents, CJK and emoji, at most 128 code
 * points as the contract allows.
 */
final class BenchCatalog {

    record Product(String id, String category, long cents, boolean international) {
    }

    /** Today's benchmark categories (EventFactory's). */
    static final List<String> ASCII_CATEGORIES = List.of(EventFactory.CATEGORIES);
    static final List<String> INTERNATIONAL_CATEGORIES = List.of("électronique", "livres & médias", "家居用品", "jouets 🧸",
            "Küche & Haushalt", "спорт и отдых", "ビューティー", "épicerie fine 🍫");
    private static final String[] INTERNATIONAL_NAMES = {"café-crème", "抹茶ラテ", "crème brûlée", "Ñandú", "東京のお土産", "ürün",
            "smörgåsbord", "🛒 panier", "naïve façade", "jalapeño", "Zürich Uhr", "chaussures été ☀️"};
    private static final long MIN_CENTS = 99;

    private final Product[] products;
    private final double[] cumulativePopularity;

    BenchCatalog(int size, double skew, double nonAsciiShare, SplittableRandom random) {
        double[] popularity = zipf(size, skew, random);
        cumulativePopularity = cumulative(popularity);
        double[] asciiBase = basePrices(ASCII_CATEGORIES.size(), random);
        double[] internationalBase = basePrices(INTERNATIONAL_CATEGORIES.size(), random);
        int width = Math.max(4, String.valueOf(size).length());
        products = new Product[size];
        double taken = 0;
        for (int i = 0; i < size; i++) {
            // Greedy: a product becomes international while that keeps the international share at or under the target,
            // so the share of picks lands close to it whatever the skew puts on the hottest products.
            boolean international = taken + popularity[i] <= nonAsciiShare;
            if (international) {
                taken += popularity[i];
            }
            List<String> categories = international ? INTERNATIONAL_CATEGORIES : ASCII_CATEGORIES;
            int category = random.nextInt(categories.size());
            double base = (international ? internationalBase : asciiBase)[category];
            long cents = Math.max(MIN_CENTS, Math.round(base * Math.exp((random.nextDouble() - 0.5) * 1.5) * 100));
            String number = String.format("%0" + width + "d", i + 1);
            String id = international ? INTERNATIONAL_NAMES[random.nextInt(INTERNATIONAL_NAMES.length)] + "_" + number : "prod_" + number;
            products[i] = new Product(id, categories.get(category), cents, international);
        }
    }

    /** A product drawn by popularity. */
    Product samplePopular(SplittableRandom random) {
        int index = Arrays.binarySearch(cumulativePopularity, random.nextDouble());
        int slot = index >= 0 ? index : -index - 1;
        return products[Math.min(slot, products.length - 1)];
    }

    private static double[] basePrices(int categories, SplittableRandom random) {
        double[] base = new double[categories];
        for (int c = 0; c < categories; c++) {
            base[c] = 5 + random.nextDouble() * 195;
        }
        return base;
    }

    /** Each product's share of picks: 1 / rank^skew over a random ranking, normalised. */
    private static double[] zipf(int size, double skew, SplittableRandom random) {
        int[] rankOf = new int[size];
        for (int i = 0; i < size; i++) {
            rankOf[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
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
        for (int i = 0; i < size; i++) {
            weights[i] /= total;
        }
        return weights;
    }

    private static double[] cumulative(double[] shares) {
        double[] cumulative = new double[shares.length];
        double running = 0;
        for (int i = 0; i < shares.length; i++) {
            running += shares[i];
            cumulative[i] = running;
        }
        cumulative[shares.length - 1] = 1.0;
        return cumulative;
    }
}
