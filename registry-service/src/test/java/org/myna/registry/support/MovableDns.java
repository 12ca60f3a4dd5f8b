package org.myna.registry.support;

import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import org.myna.platform.residency.HostResolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The system's DNS, except for the hosts a test has moved (a DNS change or failover, as the residency guard sees it). */
@Mock
@ApplicationScoped
public class MovableDns extends HostResolver {

    private static final Map<String, String> MOVED = new ConcurrentHashMap<>();

    public static void move(String host, String address) {
        MOVED.put(host, address);
    }

    public static void reset() {
        MOVED.clear();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String moved = MOVED.get(host);
        return moved == null ? super.resolve(host) : new InetAddress[]{InetAddress.getByName(moved)};
    }
}
