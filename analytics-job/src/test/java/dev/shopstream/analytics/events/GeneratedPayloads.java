package dev.shopstream.analytics.events;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import dev.shopstream.analytics.support.EventJson;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;

/**
 * Generators of Kafka record values for the parser's properties: events within the contract (built from its
 * constraints: {@link EventContract}'s limits, names and instant pattern), mutations of them (fields removed,
 * retyped, duplicated, nested, truncated, hostile text), and arbitrary bytes.
 *
 * <p>An event is kept as its list of JSON members, each value as raw JSON text, so that a mutation can write
 * what no JSON library would: the same key twice, or an escaped unpaired surrogate.
 */
final class GeneratedPayloads {

    /** One member of a JSON object: the key and the value as raw JSON text. */
    record Member(String key, String rawValue) {
        String json() {
            return quote(key) + ":" + rawValue;
        }
    }

    /** A JSON object as its members in order. */
    record JsonObject(List<Member> members) {
        String json() {
            return members.stream().map(Member::json).collect(Collectors.joining(",", "{", "}"));
        }

        JsonObject with(List<Member> changed) {
            return new JsonObject(List.copyOf(changed));
        }
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    /** The contract's earliest instant, a day on: any offset keeps the instant inside. */
    private static final LocalDateTime EARLIEST = LocalDateTime.ofEpochSecond(EventContract.EARLIEST_EVENT_TIME.getEpochSecond(), 0, ZoneOffset.UTC).plusDays(1);
    private static final LocalDateTime LATEST = LocalDateTime.of(9999, 12, 30, 23, 59, 59);
    /** Counted events cluster in a few hours, so that windows hold several events each. */
    private static final LocalDateTime COUNTED_EARLIEST = LocalDateTime.of(2026, 11, 25, 0, 0);
    private static final LocalDateTime COUNTED_LATEST = LocalDateTime.of(2026, 11, 25, 0, 20);

    private GeneratedPayloads() {
    }

    // ---- within the contract ----------------------------------------------------------------------------------

    /** Valid events over the whole calendar the contract allows (1970 to the year 9999). */
    static Arbitrary<JsonObject> validEvents() {
        return validEvents(EARLIEST, LATEST);
    }

    /** Valid events within twenty minutes (ten windows), for properties that aggregate them into windows. */
    static Arbitrary<JsonObject> countableEvents() {
        return validEvents(COUNTED_EARLIEST, COUNTED_LATEST);
    }

    private static Arbitrary<JsonObject> validEvents(LocalDateTime earliest, LocalDateTime latest) {
        return Combinators.combine(contractText(), Arbitraries.of(EventContract.EVENT_TYPES), contractText(), contractText(),
                        contractText(), price(), eventTime(earliest, latest), extraMembers())
                .as((id, type, user, product, category, price, time, extra) -> {
                    List<Member> members = new ArrayList<>(List.of(
                            new Member(EventContract.EVENT_ID, quote(id)),
                            new Member(EventContract.EVENT_TYPE, quote(type)),
                            new Member(EventContract.USER_ID, quote(user)),
                            new Member(EventContract.PRODUCT_ID, quote(product)),
                            new Member(EventContract.CATEGORY, quote(category)),
                            new Member(EventContract.PRICE, price),
                            new Member(EventContract.EVENT_TIME, quote(time))));
                    members.addAll(extra);
                    return new JsonObject(members);
                });
    }

    /**
     * 1 to {@link EventContract#MAX_TEXT_LENGTH} code points of any Unicode except NUL and the surrogates, with
     * at least one letter or digit: the schema's "not only whitespace".
     */
    static Arbitrary<String> contractText() {
        Arbitrary<Integer> anyCodePoint = Arbitraries.integers().between(1, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(1, anyCodePoint));
        Arbitrary<Integer> letterOrDigit = Arbitraries.of('a', 'Z', '7', 'é', '玩').map(c -> (int) c);
        return Combinators.combine(codePoint.list().ofMaxSize(EventContract.MAX_TEXT_LENGTH - 1), letterOrDigit,
                        Arbitraries.integers().between(0, EventContract.MAX_TEXT_LENGTH - 1))
                .as((codePoints, required, at) -> {
                    List<Integer> all = new ArrayList<>(codePoints);
                    all.add(Math.min(at, all.size()), required);
                    StringBuilder text = new StringBuilder();
                    all.forEach(text::appendCodePoint);
                    return text.toString();
                });
    }

    /** Whole cents from 0.01 to the ceiling, written as JSON writers write numbers: 12.3, 12.30, 12, 1.23E1. */
    private static Arbitrary<String> price() {
        long maxCents = EventContract.MAX_PRICE.movePointRight(2).longValueExact();
        return Combinators.combine(Arbitraries.longs().between(1, maxCents), Arbitraries.integers().between(0, 3))
                .as((cents, form) -> {
                    BigDecimal price = BigDecimal.valueOf(cents, 2);
                    return switch (form) {
                        case 0 -> price.toPlainString();
                        case 1 -> price.stripTrailingZeros().toPlainString();
                        case 2 -> price.stripTrailingZeros().toString().replace("E+", "E");
                        default -> price.stripTrailingZeros().scale() <= 0 ? price.toBigInteger().toString() : price.toPlainString();
                    };
                });
    }

    /** An instant as the pattern allows it: seconds, 0-9 fraction digits, Z or an offset up to 18 hours. */
    private static Arbitrary<String> eventTime(LocalDateTime earliest, LocalDateTime latest) {
        long first = earliest.toEpochSecond(ZoneOffset.UTC);
        long last = latest.toEpochSecond(ZoneOffset.UTC);
        return Combinators.combine(Arbitraries.longs().between(first, last), Arbitraries.integers().between(0, 9),
                        Arbitraries.integers().between(0, 999_999_999),
                        Arbitraries.integers().between(-18 * 60, 18 * 60), Arbitraries.of(true, false))
                .as((seconds, digits, nanos, offsetMinutes, zulu) -> {
                    StringBuilder text = new StringBuilder(LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC).format(SECONDS));
                    if (digits > 0) {
                        text.append('.').append(String.format("%09d", nanos), 0, digits);
                    }
                    text.append(zulu ? "Z" : ZoneOffset.ofTotalSeconds(offsetMinutes * 60).getId().replace("Z", "+00:00"));
                    return text.toString();
                });
    }

    /** Members the contract allows beside its own (additionalProperties): a session id, a version, nested data. */
    private static Arbitrary<List<Member>> extraMembers() {
        Arbitrary<Member> extra = Arbitraries.of(
                new Member("session_id", quote("s-1")), new Member("schema_version", "1"),
                new Member("context", "{\"page\":\"/cart\",\"tags\":[1,2]}"), new Member("referrer", "null"));
        return extra.list().ofMaxSize(2);
    }

    // ---- mutations ---------------------------------------------------------------------------------------------

    /** A valid event changed by one to three mutations; the result may or may not still be valid. */
    static Arbitrary<String> mutatedEvents() {
        return Combinators.combine(validEvents(), mutation().list().ofMinSize(1).ofMaxSize(3), truncation())
                .as((event, mutations, truncate) -> {
                    JsonObject changed = event;
                    for (Mutation mutation : mutations) {
                        changed = mutation.apply(changed);
                    }
                    return truncate.apply(changed.json());
                });
    }

    private interface Mutation {
        JsonObject apply(JsonObject event);
    }

    private interface Truncation {
        String apply(String json);
    }

    private static Arbitrary<Mutation> mutation() {
        Arbitrary<String> field = Arbitraries.of(EventContract.FIELDS);
        Arbitrary<Mutation> remove = field.map(name -> event -> event.with(
                event.members().stream().filter(m -> !m.key().equals(name)).toList()));
        Arbitrary<Mutation> retype = Combinators.combine(field, otherJsonValue())
                .as((name, value) -> event -> replace(event, name, value));
        Arbitrary<Mutation> hostileText = Combinators.combine(Arbitraries.of(EventContract.TEXT_FIELDS), hostileText())
                .as((name, text) -> event -> replace(event, name, quote(text)));
        Arbitrary<Mutation> duplicate = Combinators.combine(field, otherJsonValue(), Arbitraries.of(true, false))
                .as((name, value, before) -> event -> {
                    List<Member> members = new ArrayList<>(event.members());
                    Member copy = new Member(name, value);
                    if (before) {
                        members.add(0, copy);
                    } else {
                        members.add(copy);
                    }
                    return event.with(members);
                });
        Arbitrary<Mutation> nest = Arbitraries.of("event", "data").map(key -> event -> new JsonObject(List.of(new Member(key, event.json()))));
        Arbitrary<Mutation> wrapValue = Combinators.combine(field, Arbitraries.of(true, false))
                .as((name, inArray) -> event -> event.with(event.members().stream()
                        .map(m -> m.key().equals(name) ? new Member(name, inArray ? "[" + m.rawValue() + "]" : "{\"value\":" + m.rawValue() + "}") : m)
                        .toList()));
        Arbitrary<Mutation> renameKey = field.map(name -> event -> event.with(event.members().stream()
                .map(m -> m.key().equals(name) ? new Member(name.toUpperCase(), m.rawValue()) : m).toList()));
        return Arbitraries.oneOf(remove, retype, hostileText, duplicate, nest, wrapValue, renameKey);
    }

    /** Keep the text whole (most often), or cut it anywhere, or wrap it in an array. */
    private static Arbitrary<Truncation> truncation() {
        Arbitrary<Truncation> whole = Arbitraries.just(json -> json);
        Arbitrary<Truncation> cut = Arbitraries.doubles().between(0, 1).map(share -> json -> json.substring(0, (int) (json.length() * share)));
        Arbitrary<Truncation> inArray = Arbitraries.just(json -> "[" + json + "]");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, whole), net.jqwik.api.Tuple.of(2, cut), net.jqwik.api.Tuple.of(1, inArray));
    }

    private static JsonObject replace(JsonObject event, String name, String rawValue) {
        return event.with(event.members().stream().map(m -> m.key().equals(name) ? new Member(name, rawValue) : m).toList());
    }

    /** Values of every JSON type, including the edges of numbers and the texts of other fields' types. */
    private static Arbitrary<String> otherJsonValue() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-0", "0.0", "-1", "1e400", "-1e-400", "1E2", "0.001",
                        "999999.99", "1000000", "12.345", "[]", "{}", "[null]", "{\"a\":{\"b\":[1,{}]}}", "\"\"", "\" \"",
                        "\"NaN\"", "\"Infinity\"", "\"12.50\"", "\"purchase\"", "\"2026-11-25T02:31:07Z\"",
                        "\"2026-11-25T02:31:07Z\\n\"", "\"2026-02-30T10:00:00Z\"", "\"0000-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59.999Z\"", "\"1970-01-01T00:00:00Z\"",
                        "\"1970-01-01T01:00:00+01:00\"", "\"1062-01-13T06:00:53Z\"",
                        "\"9999-12-31T23:59:59-18:00\""),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigDecimals().ofScale(3).map(BigDecimal::toPlainString),
                hostileText().map(GeneratedPayloads::quote));
    }

    /**
     * Text nobody would send on purpose: control characters, NUL, whitespace of every kind, unpaired surrogates,
     * any Unicode, and lengths around and far beyond the limit.
     */
    static Arbitrary<String> hostileText() {
        Arbitrary<Character> hostileChar = Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\u001f'),
                Arbitraries.of('\u0000', ' ', '\t', '\n', '\r', '\u000b', '\u0085', '\u00a0', '\u2028', '\u2029', '\u3000',
                        '\ufeff', '\ud800', '\udfff', '"', '\\', '\''),
                Arbitraries.chars().all());
        Arbitrary<String> mixed = Arbitraries.strings().withChars("ab").withCharRange('\u0000', '\u001f').ofMaxLength(20);
        Arbitrary<String> anyChars = hostileChar.list().ofMaxSize(40).map(GeneratedPayloads::join);
        Arbitrary<String> aroundLimit = Combinators.combine(
                        Arbitraries.integers().between(EventContract.MAX_TEXT_LENGTH - 2, EventContract.MAX_TEXT_LENGTH + 2),
                        Arbitraries.of("x", "\uD83D\uDED2", " ", "\u0000"))
                .as((n, unit) -> unit.repeat(n));
        Arbitrary<String> huge = Arbitraries.integers().between(1_000, 20_000).map(n -> "y".repeat(n));
        Arbitrary<String> injection = Arbitraries.of("'; DROP TABLE " + AnalyticsSchema.REJECTED_EVENTS + "; --", "\\u0000", "${jndi:ldap://x}",
                "<script>alert(1)</script>", "%00", "\\", "\"");
        return Arbitraries.oneOf(mixed, anyChars, aroundLimit, huge, injection);
    }

    // ---- arbitrary bytes ---------------------------------------------------------------------------------------

    /** Any bytes: random, invalid UTF-8, or a valid event with bytes flipped. */
    static Arbitrary<byte[]> arbitraryBytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> flipped = Combinators.combine(validEvents(), Arbitraries.integers().between(0, 10_000),
                        Arbitraries.bytes())
                .as((event, at, value) -> {
                    byte[] bytes = event.json().getBytes(StandardCharsets.UTF_8);
                    bytes[at % bytes.length] = value;
                    return bytes;
                });
        return Arbitraries.oneOf(random, flipped);
    }

    // ---- JSON text ---------------------------------------------------------------------------------------------

    static String quote(String text) {
        return EventJson.quote(text);
    }

    private static String join(List<Character> chars) {
        StringBuilder text = new StringBuilder();
        chars.forEach(text::append);
        return text.toString();
    }
}
