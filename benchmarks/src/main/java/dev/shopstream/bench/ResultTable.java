package dev.shopstream.bench;

import java.util.List;

/** The one table, as aligned text for the terminal and as markdown for docs/benchmarks.md. */
final class ResultTable {

    private static final String[] HEADERS = {"figure", "value", "reference", "ratio", "target", "met?"};

    private ResultTable() {
    }

    private static String[] cells(Result r) {
        return new String[] {r.figure(), r.value(), r.reference(), r.ratioText(), r.target(), r.metText()};
    }

    static String text(List<Result> results) {
        int[] widths = new int[HEADERS.length];
        for (int i = 0; i < HEADERS.length; i++) {
            widths[i] = HEADERS[i].length();
        }
        for (Result r : results) {
            String[] cells = cells(r);
            for (int i = 0; i < cells.length; i++) {
                widths[i] = Math.max(widths[i], cells[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADERS, widths);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.append(rule).append('\n');
        for (Result r : results) {
            line(out, cells(r), widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            out.append(i == 0 ? "" : " | ").append(cells[i]).append(" ".repeat(widths[i] - cells[i].length()));
        }
        out.append('\n');
    }

    static String markdown(String header, List<Result> results, List<String> notes) {
        StringBuilder out = new StringBuilder("Run: " + header + "\n\n");
        out.append("| ").append(String.join(" | ", HEADERS)).append(" |\n");
        out.append("|---|---:|---:|---:|---|---|\n");
        for (Result r : results) {
            String[] cells = cells(r);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].replace("|", "\\|");
            }
            out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        out.append("\nHow each figure was measured:\n\n");
        for (Result r : results) {
            out.append("- **").append(r.figure()).append("**: ").append(r.note()).append('\n');
        }
        for (String note : notes) {
            out.append("- ").append(note).append('\n');
        }
        return out.toString();
    }
}
