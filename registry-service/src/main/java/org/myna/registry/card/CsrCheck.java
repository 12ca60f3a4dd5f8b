package org.myna.registry.card;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.myna.platform.problem.Problem;
import org.myna.registry.ca.EcCrypto;
import org.myna.registry.ca.Pems;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * A certificate request the registry is willing to certify: well-formed PEM PKCS#10, an EC P-256 key, and a
 * signature made with that very key (proof that the card holds the private key). Only the application id
 * (CN) and the card id (SERIALNUMBER) are read from the subject; everything else in the request is ignored.
 */
record CsrCheck(String field, SubjectPublicKeyInfo key, String keyHash, String applicationId, String cardId) {

    static final Pattern CARD_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    static CsrCheck of(String field, String pem) {
        PKCS10CertificationRequest csr = Pems.parseCsr(pem).orElseThrow(() ->
                Problem.invalidField(field, "csr-malformed", "The " + field + " is not one PEM PKCS#10 certificate request."));
        SubjectPublicKeyInfo key = csr.getSubjectPublicKeyInfo();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(key.getAlgorithm().getAlgorithm())
                || !SECObjectIdentifiers.secp256r1.equals(key.getAlgorithm().getParameters())) {
            throw Problem.invalidField(field, "csr-key-unsupported", "The " + field + " must certify an EC P-256 key.");
        }
        if (!signedByItsKey(csr)) {
            throw Problem.invalidField(field, "csr-signature-invalid",
                    "The " + field + " is not signed with the key it asks to certify (no proof of possession).");
        }
        String keyHash;
        try {
            keyHash = Pems.keyHash(key.getEncoded());
        } catch (IOException e) {
            throw Problem.invalidField(field, "csr-malformed", "The " + field + " key cannot be encoded.");
        }
        return new CsrCheck(field, key, keyHash, single(csr, BCStyle.CN, field), single(csr, BCStyle.SERIALNUMBER, field));
    }

    private static boolean signedByItsKey(PKCS10CertificationRequest csr) {
        try {
            return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(EcCrypto.PROVIDER)
                    .build(csr.getSubjectPublicKeyInfo()));
        } catch (Exception e) {
            return false;
        }
    }

    private static String single(PKCS10CertificationRequest csr, ASN1ObjectIdentifier type, String field) {
        RDN[] rdns = csr.getSubject().getRDNs(type);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            throw Problem.invalidField(field, "csr-subject-invalid",
                    "The " + field + " subject must hold exactly one CN (application id) and one SERIALNUMBER (card id).");
        }
        ASN1Encodable value = rdns[0].getFirst().getValue();
        if (!(value instanceof ASN1String text)) {
            throw Problem.invalidField(field, "csr-subject-invalid", "The " + field + " subject values must be strings.");
        }
        return text.getString();
    }
}
