package dev.shopstream.analytics.sink;

import java.sql.SQLException;
import java.time.Instant;

import org.apache.spark.sql.Row;

/**
 * A row of a batch that the database refused for what it holds, kept in {@code quarantined_rows} instead of
 * being written: which batch, which table, the row's key (window start, then its keys, '|'-separated), the
 * values it would have written, and the error. Key and values are JSON-escaped to ASCII, so that the quarantine
 * can store even a row refused for its characters.
 */
public record QuarantinedRow(long batchId, String table, String key, Instant windowStart, String values, String errorState,
                             String error) {

    static QuarantinedRow ofTotals(long batchId, Row row, SQLException refused) {
        Instant start = AnalyticsWriter.utc(row.get(0)).toInstant();
        String key = start + "|" + row.getString(2) + "|" + row.getString(3);
        String values = "{\"window_start\":\"" + start + "\",\"window_end\":\"" + AnalyticsWriter.utc(row.get(1)).toInstant()
                + "\",\"product_id\":" + json(row.getString(2)) + ",\"category\":" + json(row.getString(3))
                + ",\"view_count\":" + row.getLong(4) + ",\"event_count\":" + row.getLong(5) + ",\"purchase_count\":" + row.getLong(6)
                + ",\"total_revenue\":" + ((java.math.BigDecimal) row.get(7)).toPlainString() + "}";
        return new QuarantinedRow(batchId, dev.shopstream.contract.AnalyticsSchema.WINDOW_TOTALS, ascii(key), start, values,
                SqlErrors.sqlState(refused), SqlErrors.describe(refused));
    }

    static QuarantinedRow ofDerived(long batchId, DerivedTable table, Row anyRowOfPair, SQLException refused) {
        Instant start = AnalyticsWriter.utc(anyRowOfPair.get(0)).toInstant();
        String keyValue = anyRowOfPair.getString(table.keyIndex());
        String values = "{\"window_start\":\"" + start + "\",\"" + table.keyColumn() + "\":" + json(keyValue)
                + ",\"recomputed_from\":\"" + dev.shopstream.contract.AnalyticsSchema.WINDOW_TOTALS + "\"}";
        return new QuarantinedRow(batchId, table.table(), ascii(start + "|" + keyValue), start, values, SqlErrors.sqlState(refused),
                SqlErrors.describe(refused));
    }

    /** A JSON string literal, every character outside printable ASCII as a \\u escape. */
    static String json(String text) {
        if (text == null) {
            return "null";
        }
        return "\"" + ascii(text.replace("\\", "\\\\").replace("\"", "\\\"")) + "\"";
    }

    /** Printable ASCII as it is, every other UTF-16 unit as \\uXXXX. */
    static String ascii(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
