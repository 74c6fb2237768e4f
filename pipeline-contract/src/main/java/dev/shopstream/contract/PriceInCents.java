package dev.shopstream.contract;

import java.math.BigDecimal;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract's price rule written a second time, on the digits of the price's text and a long count of cents,
 * without {@link BigDecimal} arithmetic: a number, positive, at most {@link EventContract#MAX_PRICE}, in whole
 * cents. Why a second one: the job's parser judges prices with {@link EventRules#price}; the audit's oracle judges
 * them with this one ({@link ReferenceAnalytics#withPriceRule}), so a fault in either rule shows as an audit
 * mismatch instead of being agreed by both sides. {@code PriceRulesAgreementTest} holds the two to the same
 * verdicts on the edge cases.
 */
public final class PriceInCents {

    /** Sign, integer digits, fraction digits, exponent: the number forms {@code new BigDecimal(String)} reads. */
    private static final Pattern NUMBER = Pattern.compile("([+-]?)([0-9]*)(?:\\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?");
    private static final long MAX_CENTS = EventContract.MAX_PRICE.movePointRight(2).longValueExact();
    /** More digits than a long's 18 safe ones is beyond any price. */
    private static final int MAX_DIGITS = 18;

    private PriceInCents() {
    }

    /** The price at scale 2, or null when the text is not a valid price (or is null). */
    public static BigDecimal price(String text) {
        OptionalLong cents = cents(text);
        return cents.isPresent() ? BigDecimal.valueOf(cents.getAsLong(), 2) : null;
    }

    /** The price in cents, or empty when the text is not a valid price (or is null). */
    public static OptionalLong cents(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        Matcher m = NUMBER.matcher(text.trim());
        String integer = m.matches() ? m.group(2) : "";
        String fraction = m.matches() && m.group(3) != null ? m.group(3) : "";
        if (!m.matches() || integer.isEmpty() && fraction.isEmpty() || m.group(1).equals("-")) {
            return OptionalLong.empty(); // not a number, or negative (a negative zero is not positive either)
        }
        String digits = stripLeadingZeros(integer + fraction);
        if (digits.isEmpty()) {
            return OptionalLong.empty(); // zero
        }
        long exponent;
        try {
            exponent = m.group(4) == null ? 0 : Long.parseLong(m.group(4));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // an exponent beyond a long: no price
        }
        // value = digits * 10^(exponent - fraction.length()); in cents, two places further.
        long shift = exponent - fraction.length() + 2;
        String centDigits;
        if (shift >= 0) {
            if (digits.length() + shift > MAX_DIGITS) {
                return OptionalLong.empty();
            }
            centDigits = digits + "0".repeat((int) shift);
        } else {
            if (-shift >= digits.length()) {
                return OptionalLong.empty(); // every significant digit lies below a cent
            }
            int keep = (int) (digits.length() + shift);
            if (!digits.substring(keep).chars().allMatch(c -> c == '0')) {
                return OptionalLong.empty(); // a fraction of a cent
            }
            centDigits = digits.substring(0, keep);
        }
        if (centDigits.length() > MAX_DIGITS) {
            return OptionalLong.empty();
        }
        long cents = Long.parseLong(centDigits);
        return cents <= MAX_CENTS ? OptionalLong.of(cents) : OptionalLong.empty();
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }
}
