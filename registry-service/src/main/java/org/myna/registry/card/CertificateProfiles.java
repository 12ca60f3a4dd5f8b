package org.myna.registry.card;

import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Attribute;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectDirectoryAttributes;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.myna.registry.ca.CertificateAuthority;
import org.myna.registry.resident.Resident;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Vector;

/**
 * The two certificate profiles. The authentication certificate names nobody (a random CN) so that using it
 * discloses no personal data; the signature certificate carries the holder's registered identity, always read
 * from the registry record at issue time and never from the request.
 */
@ApplicationScoped
public class CertificateProfiles {

    /** Private policy arc of this suite (a UUID OID, RFC 4122 / X.667, so it collides with no one's). */
    static final ASN1ObjectIdentifier ARC = new ASN1ObjectIdentifier("2.25.163742559151417381230493183744211262297");
    public static final ASN1ObjectIdentifier POLICY_AUTHENTICATION = ARC.branch("1.1");
    public static final ASN1ObjectIdentifier POLICY_SIGNATURE = ARC.branch("1.2");
    /** Subject directory attribute: the holder's name in katakana, "family given". */
    public static final ASN1ObjectIdentifier ATTRIBUTE_KANA_NAME = ARC.branch("2.1");

    private final CertificateAuthority ca;

    public CertificateProfiles(CertificateAuthority ca) {
        this.ca = ca;
    }

    BigInteger newSerial() {
        return ca.newSerial();
    }

    X509Certificate authentication(BigInteger serial, SubjectPublicKeyInfo key, String randomName, Instant notBefore, Instant notAfter) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, randomName).build();
        X509v3CertificateBuilder builder = base(serial, key, subject, notBefore, notAfter);
        try {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            builder.addExtension(Extension.certificatePolicies, false, new CertificatePolicies(new PolicyInformation(POLICY_AUTHENTICATION)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return ca.sign(builder);
    }

    X509Certificate signature(BigInteger serial, SubjectPublicKeyInfo key, Resident holder, String cardId, Instant notBefore, Instant notAfter) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "JP")
                .addRDN(BCStyle.ST, holder.prefecture)
                .addRDN(BCStyle.L, holder.municipality)
                .addRDN(BCStyle.STREET, holder.addressLine)
                .addRDN(BCStyle.POSTAL_CODE, holder.postalCode)
                .addRDN(BCStyle.SURNAME, holder.familyName)
                .addRDN(BCStyle.GIVENNAME, holder.givenName)
                .addRDN(BCStyle.CN, holder.familyName + " " + holder.givenName)
                .addRDN(BCStyle.SERIALNUMBER, cardId)
                .build();
        Vector<Attribute> attributes = new Vector<>(List.of(
                attribute(BCStyle.DATE_OF_BIRTH, new DERGeneralizedTime(Date.from(holder.dateOfBirth.atTime(12, 0).toInstant(ZoneOffset.UTC)))),
                attribute(BCStyle.GENDER, new DERPrintableString("male".equals(holder.sex) ? "M" : "F")),
                attribute(ATTRIBUTE_KANA_NAME, new DERUTF8String(holder.familyNameKana + " " + holder.givenNameKana))));
        X509v3CertificateBuilder builder = base(serial, key, subject, notBefore, notAfter);
        try {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            builder.addExtension(Extension.certificatePolicies, false, new CertificatePolicies(new PolicyInformation(POLICY_SIGNATURE)));
            builder.addExtension(Extension.subjectDirectoryAttributes, false, new SubjectDirectoryAttributes(attributes));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return ca.sign(builder);
    }

    private static Attribute attribute(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new Attribute(type, new DERSet(value));
    }

    private X509v3CertificateBuilder base(BigInteger serial, SubjectPublicKeyInfo key, X500Name subject, Instant notBefore, Instant notAfter) {
        X509Certificate issuer = ca.certificate();
        Instant until = notAfter.isAfter(issuer.getNotAfter().toInstant()) ? issuer.getNotAfter().toInstant() : notAfter;
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                serial, Date.from(notBefore), Date.from(until), subject, key);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return builder;
    }
}
