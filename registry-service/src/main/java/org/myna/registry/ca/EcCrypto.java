package org.myna.registry.ca;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Where the registry's P-256 work is done: BouncyCastle, passed explicitly (not registered JVM-wide). JDK 17's SunEC
 * P-256 is pure Java field arithmetic and was the first bottleneck of card issuance (CSR proof-of-possession checks,
 * CA signatures) and of card logins; BouncyCastle's was measured ~3x faster in the same JVM (BENCHMARKS.md).
 */
public final class EcCrypto {

    public static final Provider PROVIDER = new BouncyCastleProvider();
    public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private EcCrypto() {
    }

    /** True if {@code signature} (DER) is {@code key}'s SHA256withECDSA signature over {@code data}; false on any defect. */
    public static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM, PROVIDER);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
