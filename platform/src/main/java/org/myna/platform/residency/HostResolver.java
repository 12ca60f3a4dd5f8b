package org.myna.platform.residency;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The system's DNS (the JVM caches answers for 30 s by default), a bean so a service's test can move a peer. */
@ApplicationScoped
public class HostResolver implements ResidencyCheck.Resolver {

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return InetAddress.getAllByName(host);
    }
}
