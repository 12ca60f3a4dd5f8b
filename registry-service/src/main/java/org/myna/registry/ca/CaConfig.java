package org.myna.registry.ca;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The card CA's key and certificate (PEM files; a Kubernetes Secret in production). */
@ConfigMapping(prefix = "registry.ca")
public interface CaConfig {

    /** PKCS#8 PEM private key of the CA (EC P-256). */
    String keyFile();

    /** PEM self-signed CA certificate matching {@link #keyFile()}. */
    String certFile();

    /** Only in the demo profiles: create key and certificate on first start. */
    @WithDefault("false")
    boolean generateIfMissing();

    /** Subject of a generated CA certificate. */
    @WithDefault("CN=Myna Registry Card CA,O=My Number Suite,C=JP")
    String subject();
}
