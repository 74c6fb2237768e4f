package dev.shopstream.producer.analytics;

import java.util.Locale;

import dev.shopstream.producer.web.InvalidParameterException;

/** What GET /metrics/top-categories ranks by: the events of every type, or the purchase revenue. */
public enum Ranking {
    EVENTS(WindowTable.CATEGORY_ACTIVITY),
    REVENUE(WindowTable.CATEGORY_REVENUE);

    final WindowTable table;

    Ranking(WindowTable table) {
        this.table = table;
    }

    /** As the API spells it: {@code events}, {@code revenue}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The {@code by} parameter, any case; absent means by events. */
    public static Ranking parse(String by) {
        if (by == null) {
            return EVENTS;
        }
        for (Ranking ranking : values()) {
            if (ranking.wireName().equals(by.toLowerCase(Locale.ROOT))) {
                return ranking;
            }
        }
        throw new InvalidParameterException("by", "by must be 'events' or 'revenue', got '" + InvalidParameterException.shown(by) + "'");
    }
}
