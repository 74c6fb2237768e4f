package dev.shopstream.producer.dashboard;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The snapshot's types, registered for the native image: some are only reachable as generic arguments. */
@RegisterForReflection(targets = {
        DashboardSnapshot.class, DashboardSnapshot.Window.class, DashboardSnapshot.Series.class, DashboardSnapshot.CategorySeries.class})
final class DashboardReflection {
    private DashboardReflection() {
    }
}
