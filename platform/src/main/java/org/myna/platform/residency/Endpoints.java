package org.myna.platform.residency;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The network hosts a setting's value names: a JDBC URL (several hosts for a failover list), an http(s) or grpc URL.
 * An embedded database (H2 mem or file) or a file path names none: nothing leaves the machine.
 */
public final class Endpoints {

    private Endpoints() {
    }

    public static List<String> hostsOf(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String v = value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:")) {
            if (lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:tcp:") && !lower.startsWith("jdbc:h2:ssl:")) {
                return List.of();
            }
            int start = v.indexOf("//");
            if (start < 0) {
                return List.of();
            }
            int end = start + 2;
            while (end < v.length() && "/?;".indexOf(v.charAt(end)) < 0) {
                end++;
            }
            List<String> hosts = new ArrayList<>();
            for (String hostPort : v.substring(start + 2, end).split(",")) {
                String host = stripPort(hostPort.trim());
                if (!host.isEmpty()) {
                    hosts.add(host);
                }
            }
            return hosts;
        }
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("grpc://")) {
            String host = URI.create(v).getHost();
            return host == null ? List.of() : List.of(unbracket(host));
        }
        return List.of();
    }

    private static String stripPort(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? hostPort : hostPort.substring(1, close);
        }
        int colon = hostPort.indexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
