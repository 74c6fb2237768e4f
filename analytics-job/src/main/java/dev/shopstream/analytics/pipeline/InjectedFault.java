package dev.shopstream.analytics.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.util.Optional;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.contract.EventContract;

/**
 * TEST ONLY: a fault the stream's aggregation gets on purpose, so that a test can show the audit reports it. Set
 * with the JVM system property {@value #PROPERTY}, read once when the query starts; absent (always, outside
 * tests), the stream is untouched. One fault is known: {@code drop-views-of:<product_id>} drops the product_view
 * events of that product before the aggregation (they vanish from product_view_window and category_activity_window).
 * Anything else refuses to start, so that a misspelt fault cannot pass for a working one.
 */
public final class InjectedFault {

    public static final String PROPERTY = "shopstream.test.fault";
    static final String DROP_VIEWS_OF = "drop-views-of:";
    private static final Logger LOG = LogManager.getLogger(InjectedFault.class);

    private final String droppedProduct;

    private InjectedFault(String droppedProduct) {
        this.droppedProduct = droppedProduct;
    }

    /** The fault the system property asks for, logged loudly; empty when it is not set. */
    static Optional<InjectedFault> fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }

    static Optional<InjectedFault> parse(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.startsWith(DROP_VIEWS_OF) || value.length() == DROP_VIEWS_OF.length()) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " is no known test fault; the only one is "
                    + DROP_VIEWS_OF + "<product_id> (test only: leave the property unset)");
        }
        InjectedFault fault = new InjectedFault(value.substring(DROP_VIEWS_OF.length()));
        LOG.warn("!!! TEST FAULT INJECTED (-D{}={}): the stream drops every product_view of product {}: its results are WRONG "
                + "on purpose. Test only: never set it in production. !!!", PROPERTY, value, fault.droppedProduct);
        return Optional.of(fault);
    }

    /** The valid events without the dropped ones. */
    Dataset<Row> apply(Dataset<Row> validEvents) {
        return validEvents.filter(not(col(EventContract.EVENT_TYPE).equalTo(lit(EventContract.PRODUCT_VIEW))
                .and(col(EventContract.PRODUCT_ID).equalTo(lit(droppedProduct)))));
    }
}
