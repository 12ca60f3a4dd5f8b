package org.myna.suite.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static org.myna.suite.deploy.Manifests.at;

/**
 * The connections that a namespace's NetworkPolicies allow, as a service-to-service graph: an API server admits
 * policies but never enforces them, so they are read here the way a CNI would apply them.
 *
 * <p>Nodes: the namespace's pods by their {@code app.kubernetes.io/name} label (a migration Job's pods as
 * {@code <name>/migration}); outside the namespace, cluster DNS ({@code dns}), the edge that clinics and organisations
 * come through ({@code edge}: namespaces labelled {@code myna-suite/edge=true}), PostgreSQL and the Kubernetes API
 * server (an ipBlock on port 5432, or 443/6443). Anything else is named by what it is ({@code anywhere},
 * {@code ip:<cidr>}, {@code namespaces:<selector>}) and so never matches a designed edge.
 *
 * <p>An edge {@code a -> b:port} exists when a's egress and b's ingress both allow it (a side that no policy isolates
 * allows everything). A rule that one side allows and the other refuses is reported as one-sided.
 */
public final class NetworkGraph {

    public final Set<String> edges = new TreeSet<>();
    public final Set<String> oneSided = new TreeSet<>();

    private record Pod(String node, Map<String, Object> labels, Map<String, Integer> namedPorts) {
    }

    private record Peer(String node, Pod pod) {
    }

    private record Rule(List<Peer> peers, List<String> ports) {
    }

    private final List<Pod> pods = new ArrayList<>();

    @SuppressWarnings("unchecked")
    public NetworkGraph(List<Map<String, Object>> objects) {
        for (Map<String, Object> o : objects) {
            if (Set.of("Deployment", "Job", "StatefulSet", "DaemonSet").contains(o.get("kind"))) {
                Map<String, Object> labels = Objects.requireNonNullElse(at(o, "spec", "template", "metadata", "labels"), Map.of());
                String name = String.valueOf(labels.getOrDefault("app.kubernetes.io/name", at(o, "metadata", "name")));
                String node = "migration".equals(labels.get("app.kubernetes.io/component")) ? name + "/migration" : name;
                Map<String, Integer> named = new java.util.HashMap<>();
                List<Map<String, Object>> containers = Objects.requireNonNullElse(at(o, "spec", "template", "spec", "containers"), List.of());
                for (Map<String, Object> c : containers) {
                    for (Map<String, Object> port : (List<Map<String, Object>>) c.getOrDefault("ports", List.of())) {
                        if (port.get("name") != null) {
                            named.put((String) port.get("name"), (Integer) port.get("containerPort"));
                        }
                    }
                }
                pods.add(new Pod(node, labels, named));
            }
        }
        List<Map<String, Object>> policies = Manifests.ofKind(objects, "NetworkPolicy");
        for (Pod source : pods) {
            boolean egressIsolated = false;
            List<Rule> egress = new ArrayList<>();
            for (Map<String, Object> policy : policies) {
                if (selects(at(policy, "spec", "podSelector"), source.labels) && types(policy).contains("Egress")) {
                    egressIsolated = true;
                    egress.addAll(rules(at(policy, "spec", "egress"), "to"));
                }
            }
            if (!egressIsolated) {
                egress.add(new Rule(List.of(new Peer("anywhere", null)), List.of("*")));
            }
            for (Rule rule : egress) {
                for (Peer peer : rule.peers) {
                    for (String port : rule.ports) {
                        if (peer.pod == null) {
                            edges.add(source.node + " -> " + external(peer.node, port) + ":" + port);
                        } else if (ingressAllows(peer.pod, source, port, policies)) {
                            edges.add(source.node + " -> " + peer.pod.node + ":" + resolve(port, peer.pod));
                        } else {
                            oneSided.add(source.node + " -> " + peer.pod.node + ":" + port + " (egress only)");
                        }
                    }
                }
            }
        }
        // Ingress from outside the namespace (the edge, other namespaces, addresses), and one-sided ingress rules.
        for (Pod target : pods) {
            boolean isolated = false;
            for (Map<String, Object> policy : policies) {
                if (!selects(at(policy, "spec", "podSelector"), target.labels) || !types(policy).contains("Ingress")) {
                    continue;
                }
                isolated = true;
                for (Rule rule : rules(at(policy, "spec", "ingress"), "from")) {
                    for (Peer peer : rule.peers) {
                        for (String port : rule.ports) {
                            if (peer.pod == null) {
                                edges.add(peer.node + " -> " + target.node + ":" + resolve(port, target));
                            } else if (!edges.contains(peer.pod.node + " -> " + target.node + ":" + resolve(port, target))) {
                                oneSided.add(peer.pod.node + " -> " + target.node + ":" + port + " (ingress only)");
                            }
                        }
                    }
                }
            }
            if (!isolated) {
                edges.add("anywhere -> " + target.node + ":*");
            }
        }
    }

    private boolean ingressAllows(Pod target, Pod source, String port, List<Map<String, Object>> policies) {
        boolean isolated = false;
        for (Map<String, Object> policy : policies) {
            if (!selects(at(policy, "spec", "podSelector"), target.labels) || !types(policy).contains("Ingress")) {
                continue;
            }
            isolated = true;
            for (Rule rule : rules(at(policy, "spec", "ingress"), "from")) {
                boolean fromSource = rule.peers.stream().anyMatch(p -> p.pod == source || "anywhere".equals(p.node));
                boolean onPort = rule.ports.contains("*") || rule.ports.stream().anyMatch(p -> resolve(p, target).equals(resolve(port, target)));
                if (fromSource && onPort) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    /** policyTypes, defaulted as the API does: Ingress always, Egress when the policy has egress rules. */
    @SuppressWarnings("unchecked")
    private static List<String> types(Map<String, Object> policy) {
        List<String> types = at(policy, "spec", "policyTypes");
        if (types != null) {
            return types;
        }
        return at(policy, "spec", "egress") != null ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    @SuppressWarnings("unchecked")
    private List<Rule> rules(List<Map<String, Object>> raw, String peersKey) {
        List<Rule> rules = new ArrayList<>();
        for (Map<String, Object> r : Objects.requireNonNullElse(raw, List.<Map<String, Object>>of())) {
            List<Map<String, Object>> rawPeers = (List<Map<String, Object>>) r.get(peersKey);
            List<Peer> peers = new ArrayList<>();
            if (rawPeers == null || rawPeers.isEmpty()) {
                peers.add(new Peer("anywhere", null));
            } else {
                for (Map<String, Object> p : rawPeers) {
                    peers.addAll(peer(p));
                }
            }
            List<String> ports = new ArrayList<>();
            List<Map<String, Object>> rawPorts = (List<Map<String, Object>>) r.get("ports");
            if (rawPorts == null || rawPorts.isEmpty()) {
                ports.add("*");
            } else {
                for (Map<String, Object> port : rawPorts) {
                    String protocol = String.valueOf(port.getOrDefault("protocol", "TCP"));
                    String number = port.get("port") == null ? "*" : String.valueOf(port.get("port"));
                    if (port.get("endPort") != null) {
                        number += "-" + port.get("endPort");
                    }
                    ports.add("TCP".equals(protocol) ? number : number + "/" + protocol);
                }
            }
            rules.add(new Rule(peers, ports));
        }
        return rules;
    }

    @SuppressWarnings("unchecked")
    private List<Peer> peer(Map<String, Object> p) {
        Map<String, Object> ipBlock = (Map<String, Object>) p.get("ipBlock");
        if (ipBlock != null) {
            String cidr = String.valueOf(ipBlock.get("cidr"));
            if (cidr.endsWith("/0") || ipBlock.get("except") != null) {
                return List.of(new Peer("anywhere", null));
            }
            return List.of(new Peer("ip:" + cidr, null));
        }
        Map<String, Object> namespaces = (Map<String, Object>) p.get("namespaceSelector");
        Map<String, Object> podSelector = (Map<String, Object>) p.get("podSelector");
        if (namespaces != null) {
            Map<String, Object> nsLabels = Objects.requireNonNullElse((Map<String, Object>) namespaces.get("matchLabels"), Map.of());
            Map<String, Object> podLabels = podSelector == null ? Map.of()
                    : Objects.requireNonNullElse((Map<String, Object>) podSelector.get("matchLabels"), Map.of());
            boolean onlyLabels = namespaces.get("matchExpressions") == null && (podSelector == null || podSelector.get("matchExpressions") == null);
            if (onlyLabels && nsLabels.equals(Map.of("kubernetes.io/metadata.name", "kube-system")) && podLabels.equals(Map.of("k8s-app", "kube-dns"))) {
                return List.of(new Peer("dns", null));
            }
            if (onlyLabels && nsLabels.equals(Map.of("myna-suite/edge", "true")) && podLabels.isEmpty()) {
                return List.of(new Peer("edge", null));
            }
            return List.of(new Peer(namespaces.isEmpty() ? "anywhere" : "namespaces:" + namespaces, null));
        }
        List<Peer> matched = new ArrayList<>();
        for (Pod pod : pods) {
            if (selects(podSelector, pod.labels)) {
                matched.add(new Peer(pod.node, pod));
            }
        }
        return matched;
    }

    /** Ports of an external peer decide what it is: PostgreSQL or the Kubernetes API server behind an address. */
    private static String external(String node, String port) {
        if (node.startsWith("ip:")) {
            if (port.equals("5432")) {
                return "postgresql";
            }
            if (port.equals("443") || port.equals("6443")) {
                return "kube-apiserver";
            }
        }
        return node;
    }

    private static String resolve(String port, Pod pod) {
        Integer number = pod.namedPorts.get(port);
        return number == null ? port : String.valueOf(number);
    }

    @SuppressWarnings("unchecked")
    static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, Object> match = Objects.requireNonNullElse((Map<String, Object>) selector.get("matchLabels"), Map.of());
        for (Map.Entry<String, Object> e : match.entrySet()) {
            if (!Objects.equals(String.valueOf(e.getValue()), labels.get(e.getKey()) == null ? null : String.valueOf(labels.get(e.getKey())))) {
                return false;
            }
        }
        for (Map<String, Object> expr : Objects.requireNonNullElse((List<Map<String, Object>>) selector.get("matchExpressions"), List.<Map<String, Object>>of())) {
            String key = (String) expr.get("key");
            List<String> values = Objects.requireNonNullElse((List<String>) expr.get("values"), List.of());
            Object value = labels.get(key);
            boolean ok = switch (String.valueOf(expr.get("operator"))) {
                case "In" -> value != null && values.contains(String.valueOf(value));
                case "NotIn" -> value == null || !values.contains(String.valueOf(value));
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
