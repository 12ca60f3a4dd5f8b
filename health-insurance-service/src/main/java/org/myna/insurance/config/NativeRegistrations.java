package org.myna.insurance.config;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.myna.insurance.member.EnrolMemberRequest;
import org.myna.insurance.member.LinkAddress;

/**
 * For the native image: records that Jackson binds outside a REST signature (bulk enrolment reads each member with
 * ObjectMapper.treeToValue). Quarkus registers the REST resources' and clients' own types itself; BouncyCastle is
 * registered by quarkus.security.security-providers=BC.
 */
@RegisterForReflection(targets = {EnrolMemberRequest.class, LinkAddress.class})
final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
