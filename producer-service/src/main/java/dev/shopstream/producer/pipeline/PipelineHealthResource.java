package dev.shopstream.producer.pipeline;

import dev.shopstream.producer.web.ApiDocument;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The pipeline's health as JSON, beside the analytics under /metrics (not to be confused with Prometheus's /q/metrics). */
@Path("/metrics/pipeline")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = ApiDocument.METRICS)
@SecurityRequirements // none: reads are open to all (security: [])
@APIResponse(responseCode = "503", ref = ApiDocument.DATABASE_UNAVAILABLE)
public class PipelineHealthResource {

    private final PipelineHealthService pipeline;

    public PipelineHealthResource(PipelineHealthService pipeline) {
        this.pipeline = pipeline;
    }

    @GET
    @Operation(operationId = "getPipelineHealth", summary = "The health of the stream as data: per query its last batch, rates, late and rejected rows, freshness")
    @APIResponse(responseCode = "200", description = "The pipeline as it is now")
    public Uni<PipelineHealth> pipeline() {
        return pipeline.health();
    }
}
