package dev.shopstream.bench;

/**
 * One row of the table: a figure, its value, the reference measured in the same run, their ratio, the target
 * and whether it is met. {@code ratio} and {@code met} are null where the issue sets no target.
 */
record Result(String figure, String value, String reference, Double ratio, String target, Boolean met, String note) {

    String ratioText() {
        return ratio == null || ratio.isNaN() ? "—" : Bench.fixed(ratio, 2);
    }

    String metText() {
        return met == null ? "—" : met ? "yes" : "NO";
    }

    static Result failed(String figure, String why) {
        return new Result(figure, "failed", "—", null, "—", false, why);
    }
}
