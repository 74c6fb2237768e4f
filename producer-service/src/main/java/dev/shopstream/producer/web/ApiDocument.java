package dev.shopstream.producer.web;

import java.time.Instant;

import dev.shopstream.contract.EventContract;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the served OpenAPI document (/q/openapi) says once for the whole API: its info and server, its tags, the
 * control token's security scheme, the error answers and the query parameters several operations share. The
 * operations refer to these by the names below. A JAX-RS {@link Application} because SmallRye OpenAPI reads
 * {@code @OpenAPIDefinition} there; it declares no path and no classes, so the resources are found as before.
 */
@OpenAPIDefinition(
        info = @Info(title = "ShopStream API", version = "1",
                description = "Producer control and the windowed shop analytics computed by the Spark job",
                license = @License(name = "Proprietary: no licence is granted", identifier = "LicenseRef-Proprietary")),
        servers = @Server(url = "http://localhost:8080", description = "The local stack (./run-local.sh) or docker compose"),
        tags = {
                @Tag(name = ApiDocument.METRICS, description = "The windowed analytics the Spark job computed, read from PostgreSQL"),
                @Tag(name = ApiDocument.PRODUCER, description = "The simulated shop's event generator: its counters and its rate"),
                @Tag(name = ApiDocument.DASHBOARD, description = "What the dashboard at / shows, in one answer")},
        components = @Components(
                securitySchemes = @SecurityScheme(securitySchemeName = ApiDocument.CONTROL_TOKEN, type = SecuritySchemeType.HTTP,
                        scheme = "bearer", description = "The token set as producer.control-token (PRODUCER_CONTROL_TOKEN). "
                        + "A service started without one (the local stack) accepts control operations without it."),
                responses = {
                        @APIResponse(name = ApiDocument.BAD_REQUEST, description = "A parameter or the body is refused; "
                                + "parameter names it as the request spells it (body for the body as a whole)",
                                content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class))),
                        @APIResponse(name = ApiDocument.UNAUTHORIZED, description = "producer.control-token is set and the request "
                                + "does not carry it as 'Authorization: Bearer <token>'; the body is not read",
                                headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE, description = "Bearer realm=\"shopstream\"",
                                        schema = @Schema(implementation = String.class)),
                                content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class))),
                        @APIResponse(name = ApiDocument.DATABASE_UNAVAILABLE, description = "The analytics database is unavailable: "
                                + "retry shortly (readiness at /q/health/ready says when it is back)",
                                content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))},
                parameters = {
                        @Parameter(name = "from", in = ParameterIn.QUERY, description = "Only windows starting at or after this "
                                + "instant (ISO-8601 with Z or an offset, years 0001 to 9999); default: no lower bound",
                                schema = @Schema(implementation = Instant.class)),
                        @Parameter(name = "to", in = ParameterIn.QUERY, description = "Only windows starting at or before this "
                                + "instant (ISO-8601 with Z or an offset, not before from); default: no upper bound",
                                schema = @Schema(implementation = Instant.class)),
                        @Parameter(name = "limit", in = ParameterIn.QUERY, description = "At most this many rows, 1 to "
                                + ApiDocument.MAX_LIMIT + "; default " + ApiDocument.DEFAULT_LIMIT,
                                schema = @Schema(type = SchemaType.INTEGER, format = "int32",
                                        minimum = "1", maximum = "" + ApiDocument.MAX_LIMIT, defaultValue = "" + ApiDocument.DEFAULT_LIMIT)),
                        @Parameter(name = "category", in = ParameterIn.QUERY, description = "Only this category (exact, at most "
                                + ApiDocument.MAX_KEY_LENGTH + " characters); default: every category",
                                schema = @Schema(type = SchemaType.STRING,
                                        maxLength = ApiDocument.MAX_KEY_LENGTH)),
                        @Parameter(name = "n", in = ParameterIn.QUERY, description = "How many leaders, 1 to "
                                + ApiDocument.MAX_LIMIT + "; default " + ApiDocument.DEFAULT_TOP,
                                schema = @Schema(type = SchemaType.INTEGER, format = "int32",
                                        minimum = "1", maximum = "" + ApiDocument.MAX_LIMIT, defaultValue = ApiDocument.DEFAULT_TOP)),
                        @Parameter(name = "final", in = ParameterIn.QUERY, description = "true: only final windows (the "
                                + "watermark of the job's newest batch has passed their end); false: only open ones, whose values are "
                                + "provisional; default: both",
                                schema = @Schema(type = SchemaType.BOOLEAN)),
                        @Parameter(name = "window_start", in = ParameterIn.QUERY, description = "The window starting at this instant "
                                + "(ISO-8601 with Z or an offset); default: the latest window with data",
                                schema = @Schema(implementation = Instant.class))}))
public class ApiDocument extends Application {

    public static final String METRICS = "metrics";
    public static final String PRODUCER = "producer";
    public static final String DASHBOARD = "dashboard";

    public static final String CONTROL_TOKEN = "controlToken";

    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String DATABASE_UNAVAILABLE = "DatabaseUnavailable";

    /** The bounds of the shared query parameters above (limit, n, category), as the document states them and the resources check them. */
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** How many leaders n ranks when not given (a @DefaultValue, hence text). */
    public static final String DEFAULT_TOP = "10";
    /** The longest product id or category, as the event contract allows it (in code points). */
    public static final int MAX_KEY_LENGTH = EventContract.MAX_TEXT_LENGTH;
}
