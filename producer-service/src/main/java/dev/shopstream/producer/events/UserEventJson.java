package dev.shopstream.producer.events;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.shopstream.contract.EventContract;

/**
 * Writes a {@link UserEvent} as the contract's JSON with Jackson's streaming generator: the fields in contract order,
 * text escaped as Jackson escapes it, the price a JSON number with its two decimals (plain digits, as the service's
 * mapper writes amounts), the time in UTC with milliseconds. Character for character what the service's Jackson mapper
 * writes for the record (UserEventsContractTest holds the two equal).
 *
 * <p>Not the mapper itself: the emitter writes every event it sends on one thread, whose time per event sets the
 * producer's top rate (figure 1 of docs/benchmarks.md), so the writer keeps one generator and, as the events of one
 * tick share their event time, that time's text, instead of serializing a bean and formatting a date per event.
 * Thread-safe.
 */
public final class UserEventJson {

    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final StringWriter text = new StringWriter(256);
    private final JsonGenerator generator;
    private long lastEpochMilli = Long.MIN_VALUE;
    private String lastTime;

    public UserEventJson() {
        try {
            generator = JSON.createGenerator(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generator.setRootValueSeparator(null); // one object per call, nothing between them
    }

    public synchronized String write(UserEvent event) {
        try {
            generator.writeStartObject();
            generator.writeStringField(EventContract.EVENT_ID, event.eventId());
            generator.writeStringField(EventContract.EVENT_TYPE, event.eventType() == null ? null : event.eventType().wireName());
            generator.writeStringField(EventContract.USER_ID, event.userId());
            generator.writeStringField(EventContract.PRODUCT_ID, event.productId());
            generator.writeStringField(EventContract.CATEGORY, event.category());
            generator.writeFieldName(EventContract.PRICE);
            generator.writeNumber(event.price());
            generator.writeStringField(EventContract.EVENT_TIME, event.eventTime() == null ? null : eventTime(event.eventTime()));
            generator.writeEndObject();
            generator.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter never fails
        }
        StringBuffer written = text.getBuffer();
        String json = written.toString();
        written.setLength(0);
        return json;
    }

    private String eventTime(Instant time) {
        long epochMilli = time.toEpochMilli();
        if (epochMilli != lastEpochMilli) {
            lastTime = EVENT_TIME.format(time);
            lastEpochMilli = epochMilli;
        }
        return lastTime;
    }
}
