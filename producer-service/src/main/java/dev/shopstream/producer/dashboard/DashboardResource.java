package dev.shopstream.producer.dashboard;

import java.net.URI;

import dev.shopstream.producer.web.ApiDocument;
import dev.shopstream.producer.web.ErrorMappers;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.validator.constraints.Range;

/**
 * The live dashboard: the page itself is the static {@code META-INF/resources/index.html} (served at /), which
 * polls {@code GET /dashboard/snapshot}. Its chart library comes from a WebJar inside the application.
 */
@Path("/dashboard")
@Tag(name = ApiDocument.DASHBOARD)
@SecurityRequirements // none: open to all (security: [])
public class DashboardResource {

    static final String DEFAULT_WINDOWS = "10";
    static final int MAX_WINDOWS = 60;
    static final String DEFAULT_TOP = "10";
    static final int MAX_TOP = 50;
    private static final String RANGE = "must be from {min} to {max}";

    private final DashboardService dashboard;

    public DashboardResource(DashboardService dashboard) {
        this.dashboard = dashboard;
    }

    /** /dashboard is the page at /. */
    @GET
    @Operation(hidden = true)
    public Response page() {
        return Response.seeOther(URI.create("/")).build();
    }

    @GET
    @Path("/snapshot")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getDashboardSnapshot", summary = "Everything the dashboard shows, in one answer: the pipeline's health "
            + "with the producer, the top products of the latest window, and events and revenue per category over the last windows")
    @APIResponse(responseCode = "200", description = "The snapshot")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = ApiDocument.DATABASE_UNAVAILABLE)
    public Uni<DashboardSnapshot> snapshot(
            @Parameter(description = "How many windows the category series cover, 1 to " + MAX_WINDOWS + "; default " + DEFAULT_WINDOWS,
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "" + MAX_WINDOWS, defaultValue = DEFAULT_WINDOWS))
            @QueryParam("windows") @DefaultValue(DEFAULT_WINDOWS) @Range(min = 1, max = MAX_WINDOWS, message = RANGE) int windows,
            @Parameter(description = "How many top products, 1 to " + MAX_TOP + "; default " + DEFAULT_TOP,
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "" + MAX_TOP, defaultValue = DEFAULT_TOP))
            @QueryParam("top") @DefaultValue(DEFAULT_TOP) @Range(min = 1, max = MAX_TOP, message = RANGE) int top) {
        return dashboard.snapshot(windows, top);
    }

    /** The chart library at a stable address: a redirect to the WebJar's own path, which carries its version. */
    @GET
    @Path("/vendor/echarts.min.js")
    @Operation(hidden = true)
    public Response echarts() {
        return WebJars.path("echarts", "dist/echarts.min.js")
                .map(path -> Response.temporaryRedirect(URI.create(path)).build())
                .orElseGet(() -> ErrorMappers.json(Response.Status.NOT_FOUND, null, "The echarts WebJar is not on the classpath"));
    }
}
