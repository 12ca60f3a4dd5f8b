package org.myna.platform.accesslog;

import java.util.List;

/** How a service hands a batch to the registry's access log (its own REST client and service token). */
public interface AccessLogTransport {

    /**
     * Returns once the registry has recorded the batch (or had it already). Throws {@link Rejected} when the
     * registry refuses the batch as malformed, any other exception when the batch may be tried again later.
     */
    void send(List<AccessRecord> batch);

    /** The registry refused the batch itself (a 4xx other than authentication or rate limits): retrying cannot help. */
    class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message, null, false, false);
        }
    }
}
