package org.myna.platform.residency;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One pass of the residency rule over named settings: every host a setting names must resolve, and every address it
 * resolves to must lie in a declared network (or be loopback where that is allowed). Pure: the resolver is given, so
 * a test can move a peer.
 */
public final class ResidencyCheck {

    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A setting whose peer is outside (or cannot be placed): named by setting, host and what it resolved to. */
    public record Violation(String setting, String host, String problem) {
        public String message(String jurisdiction, List<Cidr> networks) {
            return "data residency: setting " + setting + " names host " + host + ", which " + problem
                    + "; the networks declared for " + jurisdiction + " (myna.residency.networks) are "
                    + (networks.isEmpty() ? "none" : networks.stream().map(Cidr::toString).collect(Collectors.joining(",")));
        }
    }

    private final List<Cidr> networks;
    private final boolean allowLoopback;
    private final Resolver resolver;

    public ResidencyCheck(List<Cidr> networks, boolean allowLoopback, Resolver resolver) {
        this.networks = List.copyOf(networks);
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
    }

    public List<Cidr> networks() {
        return networks;
    }

    /** The violations among these settings (name to value), in their order; empty when all peers are inside. */
    public List<Violation> check(Map<String, String> settings) {
        List<Violation> violations = new ArrayList<>();
        settings.forEach((setting, value) -> {
            for (String host : Endpoints.hostsOf(value)) {
                checkHost(setting, host).ifPresent(violations::add);
            }
        });
        return violations;
    }

    public java.util.Optional<Violation> checkHost(String setting, String host) {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return java.util.Optional.of(new Violation(setting, host, "does not resolve (it cannot be placed)"));
        }
        List<String> outside = Arrays.stream(addresses).filter(a -> !inside(a)).map(InetAddress::getHostAddress).toList();
        if (addresses.length == 0 || !outside.isEmpty()) {
            return java.util.Optional.of(new Violation(setting, host, "resolves to " + String.join(",", outside)
                    + " outside the declared networks"));
        }
        return java.util.Optional.empty();
    }

    boolean inside(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return allowLoopback;
        }
        return networks.stream().anyMatch(n -> n.contains(address));
    }
}
