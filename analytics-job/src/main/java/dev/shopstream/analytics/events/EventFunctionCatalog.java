package dev.shopstream.analytics.events;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchFunctionException;
import org.apache.spark.sql.connector.catalog.FunctionCatalog;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The job's own Spark functions, as a function catalog (Spark's public interface for functions that run in
 * generated code): {@value #JSON_FIELDS}, the event parser's JSON reading ({@link JsonFieldsFunction}).
 * {@link #register} names it in a session; {@code call_function(}{@link #JSON_FIELDS_CALL}{@code , text)} calls it.
 */
public final class EventFunctionCatalog implements FunctionCatalog {

    public static final String NAME = "shopstream";
    public static final String JSON_FIELDS = "event_json_fields";
    /** The function's qualified name, for {@code functions.call_function}. */
    public static final String JSON_FIELDS_CALL = NAME + "." + JSON_FIELDS;

    private String name = NAME;

    /** Makes the catalog known to the session (idempotent; Spark instantiates it on first use). */
    public static void register(SparkSession spark) {
        spark.conf().set("spark.sql.catalog." + NAME, EventFunctionCatalog.class.getName());
    }

    @Override
    public void initialize(String name, CaseInsensitiveStringMap options) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Identifier[] listFunctions(String[] namespace) {
        return namespace.length == 0 ? new Identifier[] {Identifier.of(namespace, JSON_FIELDS)} : new Identifier[0];
    }

    @Override
    public UnboundFunction loadFunction(Identifier ident) throws NoSuchFunctionException {
        if (ident.namespace().length != 0 || !ident.name().equals(JSON_FIELDS)) {
            throw new NoSuchFunctionException(ident);
        }
        return new UnboundFunction() {
            @Override
            public BoundFunction bind(StructType inputType) {
                if (inputType.fields().length != 1 || !(inputType.fields()[0].dataType() instanceof StringType)) {
                    throw new UnsupportedOperationException(JSON_FIELDS + " takes one string, the record's text; got " + inputType.simpleString());
                }
                return EventParser.jsonFieldsFunction();
            }

            @Override
            public String description() {
                return JSON_FIELDS + "(text): the event's JSON object as text fields, as from_json reads it";
            }

            @Override
            public String name() {
                return JSON_FIELDS;
            }
        };
    }
}
