package dev.shopstream.producer.web;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the running service under hostile input: every endpoint, every parameter, generated values
 * from hostile generators; the answer is always a 2xx with JSON, or a 4xx with the API's JSON error body,
 * within {@link #TIME_BOUND}; never a 5xx. Run by {@link ApiFuzzTest} (jqwik, inside the running @QuarkusTest
 * application), which gives the service's address in the system property {@link #BASE_URL}.
 *
 * <p>Each generated value is sent as the bytes it is (percent-encoded): Unicode text as UTF-8, an unpaired
 * surrogate as the 3-byte sequence it would have in "WTF-8" (invalid UTF-8), raw bytes as they are.
 */
public class ApiFuzzProperties {

    public static final String BASE_URL = "shopstream.fuzz.base-url";
    static final Duration TIME_BOUND = Duration.ofSeconds(10);
    /** The service's quarkus.http.limits.max-body-size. */
    static final int MAX_BODY_BYTES = 16 * 1024;
    /** Each parameter's encoded value at most: four of them stay under the HTTP server's 4,096-byte request line. */
    private static final int MAX_ENCODED = 900;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIME_BOUND).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- the window endpoints, the leaders, the audit, the dashboard ------------------------------------

    @Property
    void productViews(@ForAll("value") String from, @ForAll("value") String to, @ForAll("value") String productId,
                      @ForAll("value") String limit) {
        get("/metrics/product-views", "from", from, "to", to, "product_id", productId, "limit", limit);
    }

    @Property
    void categoryActivity(@ForAll("value") String from, @ForAll("value") String to, @ForAll("value") String category,
                          @ForAll("value") String limit) {
        get("/metrics/category-activity", "from", from, "to", to, "category", category, "limit", limit);
    }

    @Property
    void categoryRevenue(@ForAll("value") String from, @ForAll("value") String to, @ForAll("value") String category,
                         @ForAll("value") String limit) {
        get("/metrics/category-revenue", "from", from, "to", to, "category", category, "limit", limit);
    }

    /** final with the others of a window endpoint (three, not five, parameters: the request line stays under 4,096 bytes). */
    @Property
    void windowsFinalOrOpen(@ForAll("windowEndpoint") String path, @ForAll("value") String isFinal, @ForAll("value") String limit,
                            @ForAll("value") String from) {
        get(path, "final", isFinal, "limit", limit, "from", from);
    }

    @Property
    void topProducts(@ForAll("value") String n, @ForAll("value") String windowStart) {
        get("/metrics/top-products", "n", n, "window_start", windowStart);
    }

    @Property
    void topCategories(@ForAll("value") String n, @ForAll("value") String by, @ForAll("value") String windowStart) {
        get("/metrics/top-categories", "n", n, "by", by, "window_start", windowStart);
    }

    @Property
    void audit(@ForAll("value") String from, @ForAll("value") String to, @ForAll("value") String limit) {
        get("/metrics/audit", "from", from, "to", to, "limit", limit);
    }

    @Property
    void dashboardSnapshot(@ForAll("value") String windows, @ForAll("value") String top, @ForAll("value") String repeated) {
        get("/dashboard/snapshot", "windows", windows, "top", top, "windows", repeated);
    }

    // ---- the rate body -----------------------------------------------------------------------------------

    @Property
    void rateBodyAsJson(@ForAll("jsonBody") String body, @ForAll("contentType") String contentType) {
        answer(put(body.getBytes(StandardCharsets.UTF_8), contentType), " " + contentType + " " + InvalidParameterException.shown(body));
    }

    @Property
    void rateBodyAsBytes(@ForAll("bytes") byte[] body, @ForAll("contentType") String contentType) {
        answer(put(body, contentType), " " + contentType + " " + java.util.Arrays.toString(body));
    }

    /**
     * Bodies around and past the limit, over a plain socket: the server answers 413 and closes the connection while
     * the client may still be writing, which java.net.http reports as an error instead of the answer.
     */
    @Property
    void largeRateBody(@ForAll("largeBody") byte[] body) throws java.io.IOException {
        URI uri = URI.create(System.getProperty(BASE_URL) + "/producer/rate");
        long started = System.nanoTime();
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) TIME_BOUND.toMillis());
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("PUT /producer/rate HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(body);
                out.flush();
            } catch (java.io.IOException e) {
                // the server stopped reading: its answer is already on the way
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIME_BOUND);
            int status = Integer.parseInt(answer.substring(9, 12));
            String responseBody = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            String what = "a body of " + body.length + " bytes -> " + status + " " + responseBody;
            if (body.length > MAX_BODY_BYTES) {
                assertThat(status).as(what).isIn(400, 413);
            }
            if (status != 413) {
                check(status, responseBody, what);
            }
        }
    }

    // ---- generators --------------------------------------------------------------------------------------

    /** A query parameter's value, already percent-encoded; null: the parameter is absent. */
    @Provide
    Arbitrary<String> value() {
        Arbitrary<String> valid = Arbitraries.of("2026-11-25T02:32:00Z", "2026-11-25T03:34:00+01:00", "1", "10", "1000", "60", "50",
                "prod_0007", "electronics", "home & kitchen", "events", "revenue", "REVENUE", "true", "false", "TRUE", "");
        Arbitrary<String> text = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().all().ofMaxLength(150)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars("\u007f\u0085\u2028\u2029\ufeff")
                        .withCharRange('a', 'c').ofMaxLength(40)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().withCharRange('\ud800', '\udfff').withChars("ab\u0000").ofMaxLength(20)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars("_-'\"%&;=").ofMinLength(100).ofMaxLength(600)),
                net.jqwik.api.Tuple.of(2, injection()),
                net.jqwik.api.Tuple.of(3, numbers()),
                net.jqwik.api.Tuple.of(3, times()));
        Arbitrary<String> encodedText = text.map(ApiFuzzProperties::encode);
        Arbitrary<String> rawBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(120).map(ApiFuzzProperties::encode);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, valid.map(ApiFuzzProperties::encode)),
                        net.jqwik.api.Tuple.of(8, encodedText),
                        net.jqwik.api.Tuple.of(2, rawBytes))
                .map(encoded -> encoded.length() <= MAX_ENCODED ? encoded : cut(encoded))
                .injectNull(0.12);
    }

    @Provide
    Arbitrary<String> windowEndpoint() {
        return Arbitraries.of("/metrics/product-views", "/metrics/category-activity", "/metrics/category-revenue");
    }

    private static Arbitrary<String> injection() {
        return Arbitraries.of("' OR '1'='1", "'; DROP TABLE product_view_window;--", "1; SELECT pg_sleep(30)", "$1", "$$", "\\0", "%00",
                "${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>", "../../../../etc/passwd", "{{7*7}}", "#{7*7}", "\u0000",
                "x\u0000y", "%", "&limit=5", "a=b", "null", "undefined", "[]", "{}", "\"", "\\", "'", "*", "_%", "\ud800", "\udc00x",
                "\ud83d\ude00", "\u202e", "\u0301\u0301\u0301");
    }

    /** Numbers at and beyond every limit, as text, with the forms parsers disagree on. */
    private static Arbitrary<String> numbers() {
        Arbitrary<String> edges = Arbitraries.of("0", "1", "-1", "59", "60", "61", "49", "50", "51", "999", "1000", "1001", "-0", "+1", "01",
                " 5 ", "\t7", "1e3", "1.0", "1,000", "1_000", "0x10", "\u0663", "\uff15", "Infinity", "NaN", "2147483647", "2147483648",
                "-2147483648", "-2147483649", "9223372036854775807", "99999999999999999999999999", "١٢");
        Arbitrary<String> any = Arbitraries.longs().map(String::valueOf);
        Arbitrary<String> near = Arbitraries.integers().between(-5, 1010).map(String::valueOf);
        return Arbitraries.oneOf(edges, any, near);
    }

    /** Times at the edges of the calendar and of PostgreSQL's range, offsets at their limits, and almost-times. */
    private static Arbitrary<String> times() {
        Arbitrary<String> edges = Arbitraries.of("0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "-0001-12-31T23:59:59Z",
                "9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.9999999Z", "+10000-01-01T00:00:00Z", "+294277-01-01T00:00:00Z",
                "-4714-11-24T00:00:00Z", "+999999999-12-31T23:59:59.999999999Z", "-999999999-01-01T00:00:00Z",
                "2026-02-29T00:00:00Z", "2024-02-29T23:59:59Z", "2026-12-31T23:59:60Z", "2026-11-25T24:00:00Z",
                "2026-11-25T02:30:00+18:00", "2026-11-25T02:30:00-18:00", "2026-11-25T02:30:00+18:01", "2026-11-25T02:30:00+14:00",
                "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2038-01-19T03:14:08Z", "2026-11-25T02:30Z",
                "2026-11-25", "02:30:00Z", "2026-11-25T02:30:00", "2026-W48-3T02:30:00Z", "now", "yesterday", "2026-11-25T02:30:00z");
        Arbitrary<String> generated = Combinators.combine(Arbitraries.longs().between(-62_135_596_800L - 86_400L * 366, 253_402_300_800L + 86_400L * 366),
                        Arbitraries.integers().between(0, 999_999_999), Arbitraries.integers().between(-18 * 3600, 18 * 3600))
                .as((seconds, nanos, offset) -> OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, nanos),
                        ZoneOffset.ofTotalSeconds(offset / 60 * 60)).toString());
        return Arbitraries.oneOf(edges, generated);
    }

    /** Arbitrary JSON, and objects whose events_per_second is anything but a plain, small rate. */
    @Provide
    Arbitrary<String> jsonBody() {
        Arbitrary<String> scalar = Arbitraries.oneOf(numbers().filter(ApiFuzzProperties::notARealRate), Arbitraries.of("true", "false", "null",
                        "1e400", "-1e400", "1e-400", "-0.0", "0.5", "0", "0.000001", "1", "200000.0001", "1E+12", "NaN", "Infinity",
                        "12345678901234567890123456789012345678901234567890", "0." + "0".repeat(2000) + "1"),
                Arbitraries.strings().all().ofMaxLength(40).map(s -> quote(s)));
        Arbitrary<String> value = Arbitraries.recursive(() -> scalar,
                inner -> Arbitraries.oneOf(inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]"),
                        Combinators.combine(Arbitraries.of("events_per_second", "rate", "", "events_per_second ", "EVENTS_PER_SECOND", "\u0000")
                                        .list().ofMaxSize(3), inner.list().ofMaxSize(3))
                                .as(ApiFuzzProperties::object)), 4);
        Arbitrary<String> rateObject = Combinators.combine(value, Arbitraries.of("", ",\"events_per_second\":5", ",\"extra\":{}", "}", ",", " garbage"))
                .as((v, tail) -> "{\"events_per_second\":" + v + tail + "}");
        Arbitrary<String> broken = Arbitraries.of("", " ", "{", "}", "{\"events_per_second\":", "{\"events_per_second\" 1}", "{'events_per_second':1}",
                "[" .repeat(3000) + "]".repeat(3000), "{\"a\":".repeat(2000) + "1" + "}".repeat(2000), "\ufeff{\"events_per_second\":0}",
                "{\"events_per_second\":0}{\"events_per_second\":0}", "{\"events_per_second\":0,\"events_per_second\":-1}");
        return Arbitraries.oneOf(value, rateObject, rateObject, broken);
    }

    /** Rates the generator would really run at (0 < r, above one per second) stay out: they would load the test broker. */
    private static boolean notARealRate(String text) {
        try {
            double rate = Double.parseDouble(text.trim());
            return !(rate > 1 && rate <= 200_000);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<byte[]> largeBody() {
        return Arbitraries.integers().between(MAX_BODY_BYTES - 64, 4 * MAX_BODY_BYTES).withDistribution(net.jqwik.api.RandomDistribution.uniform())
                .flatMap(size -> Arbitraries.of("{\"events_per_second\":0.5", "[", "\"").map(start -> padded(start, size)));
    }

    @Provide
    Arbitrary<String> contentType() {
        return Arbitraries.of("application/json", "application/json", "application/json; charset=utf-8", "application/json; charset=latin1",
                "text/plain", "application/xml", "*/*", "application/x-www-form-urlencoded", "", "garbage", "application/json;;;");
    }

    // ---- requests and the property every answer has --------------------------------------------------------

    private static void get(String path, String... namesAndValues) {
        StringBuilder uri = new StringBuilder(System.getProperty(BASE_URL)).append(path);
        char separator = '?';
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                uri.append(separator).append(namesAndValues[i]).append('=').append(namesAndValues[i + 1]);
                separator = '&';
            }
        }
        answer(send(HttpRequest.newBuilder(URI.create(uri.toString())).GET()), "");
    }

    private static HttpResponse<String> put(byte[] body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(System.getProperty(BASE_URL) + "/producer/rate"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(TIME_BOUND).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIME_BOUND);
            return response;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** 2xx with JSON, or 4xx with the error body ({@code status}, {@code error}, {@code message}); never 5xx. */
    private static void answer(HttpResponse<String> response, String sent) {
        check(response.statusCode(), response.body(),
                response.request().method() + " " + response.request().uri() + sent + " -> " + response.statusCode() + " " + response.body());
    }

    private static void check(int status, String responseBody, String what) {
        assertThat(status).as(what).isBetween(200, 499);
        JsonNode body;
        try {
            body = JSON.readTree(responseBody);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + what, e);
        }
        assertThat(body).as(what).isNotNull();
        if (status >= 400) {
            assertThat(body.path("status").asInt()).as(what).isEqualTo(status);
            assertThat(body.path("error").isTextual()).as(what).isTrue();
            assertThat(body.path("message").isTextual()).as(what).isTrue();
        }
    }

    // ---- encoding ----------------------------------------------------------------------------------------

    /** Percent-encodes every byte but the unreserved ones; an unpaired surrogate becomes its 3-byte WTF-8 form. */
    static String encode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes.write(0xE0 | (c >> 12));
                bytes.write(0x80 | ((c >> 6) & 0x3F));
                bytes.write(0x80 | (c & 0x3F));
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return encode(bytes.toByteArray());
    }

    static String encode(byte[] bytes) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return encoded.toString();
    }

    /** The first {@link #MAX_ENCODED} characters of an encoded value, never cutting a %XX in two. */
    private static String cut(String encoded) {
        int end = MAX_ENCODED;
        while (end > 0 && (encoded.charAt(end - 1) == '%' || (end > 1 && encoded.charAt(end - 2) == '%'))) {
            end--;
        }
        return encoded.substring(0, end);
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static String object(List<String> names, List<String> values) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < Math.min(names.size(), values.size()); i++) {
            members.add(quote(names.get(i)) + ":" + values.get(i));
        }
        return "{" + String.join(",", members) + "}";
    }

    private static byte[] padded(String start, int size) {
        byte[] body = new byte[size];
        byte[] head = start.getBytes(StandardCharsets.UTF_8);
        java.util.Arrays.fill(body, (byte) ' ');
        System.arraycopy(head, 0, body, 0, Math.min(head.length, size));
        if (start.startsWith("{") && size > head.length) {
            body[size - 1] = '}';
        }
        return body;
    }
}
