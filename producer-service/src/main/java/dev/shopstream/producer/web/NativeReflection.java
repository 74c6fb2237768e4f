package dev.shopstream.producer.web;

import dev.shopstream.producer.audit.AuditReport;
import dev.shopstream.producer.events.UserEvent;
import dev.shopstream.producer.generator.ProducerStatus;
import dev.shopstream.producer.metrics.PipelineHealth;
import dev.shopstream.producer.metrics.WindowRows;
import dev.shopstream.producer.retention.RetentionStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Everything Jackson serialises, registered for the native image: some types are only reachable as
 * generic arguments (List of RankedProduct) or are written by our own ObjectMapper calls (UserEvent).
 */
@RegisterForReflection(targets = {
        UserEvent.class, ProducerStatus.class, ApiError.class,
        PipelineHealth.class, PipelineHealth.QueryHealth.class, RetentionStatus.class,
        WindowRows.ProductViews.class, WindowRows.CategoryActivity.class, WindowRows.CategoryRevenue.class,
        WindowRows.TopProducts.class, WindowRows.RankedProduct.class,
        WindowRows.TopCategories.class, WindowRows.RankedCategory.class, WindowRows.AuditVerdict.class,
        AuditReport.class, AuditReport.AuditSummary.class, AuditReport.AuditedWindow.class, AuditReport.AuditMismatch.class})
public final class NativeReflection {
    private NativeReflection() {
    }
}
