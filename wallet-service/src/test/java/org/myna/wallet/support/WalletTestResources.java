package org.myna.wallet.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Declared once: every @QuarkusTest of the module shares one application and one fake registry. */
@QuarkusTestResource(RegistryWireMock.class)
public final class WalletTestResources {
    private WalletTestResources() {
    }
}
