package org.myna.registry.config;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.myna.registry.resident.Address;
import org.myna.registry.resident.RegisterResidentRequest;

/**
 * For the native image: records that Jackson binds outside a REST signature (the CSV/JSON batch import reads
 * residents with ObjectMapper.treeToValue). Quarkus registers the REST resources' and clients' own types itself;
 * BouncyCastle is registered by quarkus.security.security-providers=BC.
 */
@RegisterForReflection(targets = {RegisterResidentRequest.class, Address.class})
final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
