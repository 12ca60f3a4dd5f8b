package org.myna.suite.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myna.suite.ServiceProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.myna.suite.deploy.Manifests.at;

/**
 * deploy/'s NetworkPolicies, rendered as a cluster receives them, allow exactly the calls of the design and the egress
 * every pod needs — nothing more, nothing missing. A deliberately broken manifest (deploy/test/broken-graph) and
 * broken variants made here must each make the comparison fail.
 */
class DeploymentGraphTest {

    static final List<String> SERVICES = List.of("registry-service", "wallet-service", "health-insurance-service");
    static final Map<String, Integer> PORT = Map.of("registry-service", 8081, "wallet-service", 8082, "health-insurance-service", 8083);

    /** DESIGN §1/§4 and issue 21: who calls whom, and what every pod needs besides. */
    static Set<String> designedGraph() {
        Set<String> g = new TreeSet<>();
        for (String s : SERVICES) {
            g.add("edge -> " + s + ":" + PORT.get(s));            // clinics and organisations -> each service
            for (String pod : List.of(s, s + "/migration")) {
                g.add(pod + " -> dns:53");
                g.add(pod + " -> dns:53/UDP");
                g.add(pod + " -> postgresql:5432");               // its own database (user and schema)
            }
            g.add(s + " -> kube-apiserver:443");                  // the init container waits for the migration Job
            g.add(s + " -> kube-apiserver:6443");
        }
        g.add("wallet-service -> registry-service:8081");
        g.add("health-insurance-service -> registry-service:8081");
        g.add("registry-service -> wallet-service:8082");        // outbox delivery
        g.add("registry-service -> health-insurance-service:8083"); // outbox delivery, the exchange's insurance question
        // The portal (issue 22): browsers through the edge; its pages call the three services; no database, no API server.
        g.add("edge -> portal:8084");
        g.add("portal -> dns:53");
        g.add("portal -> dns:53/UDP");
        for (String s : SERVICES) {
            g.add("portal -> " + s + ":" + PORT.get(s));
        }
        return g;
    }

    static Path root;

    @BeforeAll
    static void needsKubectl() {
        root = ServiceProcess.root();
        boolean ci = System.getenv("CI") != null;
        if (ci) {
            assertThat(Manifests.kubectl()).as("CI renders deploy/ with kubectl").isPresent();
        }
        assumeTrue(Manifests.kubectl().isPresent(), "kubectl (Kustomize v4+) is not on the PATH");
    }

    static NetworkGraph graph(List<Map<String, Object>> objects) {
        return new NetworkGraph(objects);
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "demo"})
    void theOverlaysAllowExactlyTheDesignedCalls(String overlay) {
        NetworkGraph graph = graph(Manifests.render(root.resolve("deploy/overlays/" + overlay)));
        assertThat(graph.oneSided).as("rules one side allows and the other refuses").isEmpty();
        Set<String> edges = new TreeSet<>(graph.edges);
        if (overlay.equals("demo")) {
            // In the demo the database is a pod: its node is named by its label, and it has no outgoing edges.
            assertThat(edges).noneMatch(e -> e.startsWith("postgresql ->"));
        }
        assertThat(edges).as("deploy/overlays/%s: extra edges", overlay).isSubsetOf(designedGraph());
        assertThat(designedGraph()).as("deploy/overlays/%s: missing edges", overlay).isSubsetOf(edges);
    }

    @Test
    void aDeliberatelyBrokenManifestFailsTheComparison() {
        NetworkGraph graph = graph(Manifests.render(root.resolve("deploy/test/broken-graph/extra-edge")));
        Set<String> extra = new TreeSet<>(graph.edges);
        extra.removeAll(designedGraph());
        assertThat(extra).containsExactly("health-insurance-service -> wallet-service:8082");
    }

    @Test
    void brokenVariantsAreEachCaught() {
        List<Map<String, Object>> production = Manifests.render(root.resolve("deploy/overlays/production"));
        assertThat(graph(production).edges).isEqualTo(designedGraph());

        // Without the default deny, the migration Jobs' pods accept connections from anywhere.
        List<Map<String, Object>> noDefaultDeny = new ArrayList<>(production);
        noDefaultDeny.removeIf(o -> "NetworkPolicy".equals(o.get("kind")) && "default-deny".equals(at(o, "metadata", "name")));
        assertThat(graph(noDefaultDeny).edges).isNotEqualTo(designedGraph())
                .contains("anywhere -> registry-service/migration:*");

        // Without the outbox's egress, the registry cannot deliver to the wallet: a missing edge, a one-sided rule.
        List<Map<String, Object>> noOutbox = replacePolicy(production, "registry-service", policy -> {
            List<?> egress = at(policy, "spec", "egress");
            egress.remove(0);
        });
        NetworkGraph withoutOutbox = graph(noOutbox);
        assertThat(withoutOutbox.edges).doesNotContain("registry-service -> wallet-service:8082");
        assertThat(withoutOutbox.oneSided).contains("registry-service -> wallet-service:8082 (ingress only)");

        // A database rule opened to every address is no longer "its own database".
        List<Map<String, Object>> openDatabase = replacePolicy(production, "wallet-service-database", policy -> {
            Map<String, Object> ipBlock = at(((List<?>) at(((List<?>) at(policy, "spec", "egress")).get(0), "to")).get(0), "ipBlock");
            ipBlock.put("cidr", "0.0.0.0/0");
        });
        assertThat(graph(openDatabase).edges).contains("wallet-service -> anywhere:5432");
    }

    /** A deep copy of the objects with one NetworkPolicy changed. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> replacePolicy(List<Map<String, Object>> objects, String name,
                                                   java.util.function.Consumer<Map<String, Object>> change) {
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            if ("NetworkPolicy".equals(o.get("kind")) && name.equals(at(o, "metadata", "name"))) {
                Map<String, Object> changed = (Map<String, Object>) deepCopy(o);
                change.accept(changed);
                copy.add(changed);
            } else {
                copy.add(o);
            }
        }
        return copy;
    }

    static Object deepCopy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> c = new LinkedHashMap<>();
            map.forEach((k, v) -> c.put(String.valueOf(k), deepCopy(v)));
            return c;
        }
        if (node instanceof List<?> list) {
            List<Object> c = new ArrayList<>();
            list.forEach(v -> c.add(deepCopy(v)));
            return c;
        }
        return node;
    }
}
