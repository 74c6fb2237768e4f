package dev.shopstream.producer.audit;

import java.time.Instant;

import dev.shopstream.producer.analytics.WindowFilter;
import dev.shopstream.producer.web.ApiDocument;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.validator.constraints.Range;

/**
 * The job's audit of its own tables, as JSON: per closed window whether the stream's values match a batch
 * recompute from Kafka once the late events are accounted for. The same from, to and limit as the window
 * endpoints, checked the same way.
 */
@Path("/metrics/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = ApiDocument.METRICS)
@SecurityRequirements // none: reads are open to all (security: [])
public class AuditResource {

    private final AuditService audit;

    public AuditResource(AuditService audit) {
        this.audit = audit;
    }

    @GET
    @Operation(operationId = "getAudit", summary = "The audit of the closed windows against a batch recompute from Kafka: per window "
            + "whether it matches, its late events and what they carry, the unexplained difference per table; and a summary")
    @APIResponse(responseCode = "200", description = "The summary of every window selected, and the windows, newest first "
            + "(summary.windows_audited 0 and no windows when none was audited yet)")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = ApiDocument.DATABASE_UNAVAILABLE)
    public Uni<AuditReport> audit(
            @Parameter(ref = "from") @QueryParam("from") Instant from, @Parameter(ref = "to") @QueryParam("to") Instant to,
            @Parameter(ref = "limit") @QueryParam("limit") @DefaultValue("" + ApiDocument.DEFAULT_LIMIT)
            @Range(min = 1, max = ApiDocument.MAX_LIMIT, message = "must be from {min} to {max}") int limit) {
        return audit.report(new WindowFilter(from, to, null, limit));
    }
}
