package dev.shopstream.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.shopstream.e2e.deploy.ComposeFiles.PublishedPort;
import dev.shopstream.e2e.deploy.ComposeFiles.Service;
import dev.shopstream.stack.ProjectLayout;

/** docker-compose.yml and its cluster variant: what they publish, and where. */
class ComposeFileTest {

    /** The one setting that publishes the ports elsewhere; loopback unless it is set. */
    static final String PUBLISH_ADDRESS = "${PUBLISH_ADDRESS:-127.0.0.1}";

    private static final ProjectLayout LAYOUT = ProjectLayout.locate();
    private static final Path BASE = LAYOUT.root().resolve("docker-compose.yml");
    private static final Path CLUSTER = LAYOUT.root().resolve("docker-compose.cluster.yml");

    /** The two deployments: the base file alone, and with the cluster override. */
    private static List<Map<String, Service>> deployments() {
        return List.of(ComposeFiles.services(BASE), ComposeFiles.services(BASE, CLUSTER));
    }

    @Test
    void shouldPublishEveryPortOnPublishAddressWhichDefaultsToLoopback() {
        for (Map<String, Service> services : deployments()) {
            List<PublishedPort> published = new ArrayList<>();
            services.values().forEach(service -> published.addAll(service.ports()));
            assertThat(published).as("published ports").isNotEmpty()
                    .allSatisfy(port -> assertThat(port.hostIp()).as("host address of %s", port).isEqualTo(PUBLISH_ADDRESS));
        }
        assertThat(ComposeFiles.withDefaults(PUBLISH_ADDRESS)).isEqualTo("127.0.0.1");
    }
}
