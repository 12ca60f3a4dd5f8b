package org.myna.registry.card;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Attribute;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectDirectoryAttributes;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.myna.card.Card;
import org.myna.card.CertificateRequests;
import org.myna.registry.ca.Pems;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class CardLifecycleTest {

    @Inject
    EntityManager em;

    @Test
    void publishesTheCaCertificate() {
        String pem = given().get("/api/ca").then().statusCode(200).extract().path("certificate");
        X509Certificate ca = Pems.parseCertificate(pem).orElseThrow();
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void issuesActivatesAndChainsBothCertificatesToTheCa() throws Exception {
        CardFlow.Issued issued = CardFlow.newHolder();
        X509Certificate ca = Pems.parseCertificate(given().get("/api/ca").then().extract().path("certificate")).orElseThrow();
        X509Certificate auth = Pems.parseCertificate(issued.authCertificate()).orElseThrow();
        X509Certificate sign = Pems.parseCertificate(issued.signCertificate()).orElseThrow();
        auth.verify(ca.getPublicKey());
        sign.verify(ca.getPublicKey());
        assertThat(issued.authSerial()).matches("[0-9a-f]+").isEqualTo(auth.getSerialNumber().toString(16));
        assertThat(auth.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(auth.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
        assertThat(auth.getSubjectX500Principal().getName()).doesNotContain("山田").doesNotContain("花子").startsWith("CN=");
        assertThat(issued.card().authCertificate()).isPresent();
        assertThat(activeCards(residentIdOfCard(issued.cardId()))).isEqualTo(1);
        given().get("/api/certificates/" + issued.authSerial() + "/status").then().statusCode(200)
                .body("status", equalTo("good")).body("type", equalTo("authentication"));
        given().get("/api/certificates/" + issued.signSerial() + "/status").then().statusCode(200)
                .body("status", equalTo("good")).body("type", equalTo("signature"));
    }

    @Test
    void signatureCertificateCarriesTheRegistryRecordNotTheCsr() throws Exception {
        String number = Residents.register(Residents.body("𠮷野", "花子", "ヨシノ", "ハナコ", "1990-04-01"));
        String applicationId = CardFlow.openApplication(number);
        KeyPair authKeys = p256();
        KeyPair signKeys = p256();
        // The request claims another identity in its subject; only CN and SERIALNUMBER may be read from it.
        X500Name forged = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, applicationId)
                .addRDN(BCStyle.SERIALNUMBER, "FORGED-ID-1").addRDN(BCStyle.SURNAME, "偽名")
                .addRDN(BCStyle.GIVENNAME, "太郎").addRDN(BCStyle.DATE_OF_BIRTH, "19500101000000Z").build();
        Response response = CardFlow.issuance(applicationId, csr(forged, authKeys.getPublic(), authKeys),
                csr(forged, signKeys.getPublic(), signKeys));
        response.then().statusCode(200);
        X509CertificateHolder sign = new X509CertificateHolder(Pems.parseCertificate(response.path("signCertificate")).orElseThrow().getEncoded());
        X500Name subject = sign.getSubject();
        assertThat(text(subject, BCStyle.SURNAME)).isEqualTo("𠮷野");
        assertThat(text(subject, BCStyle.GIVENNAME)).isEqualTo("花子");
        assertThat(text(subject, BCStyle.ST)).isEqualTo("東京都");
        assertThat(text(subject, BCStyle.L)).isEqualTo("千代田区");
        assertThat(text(subject, BCStyle.STREET)).isEqualTo("千代田1-1");
        assertThat(subject.toString()).doesNotContain("偽名").doesNotContain("太郎");
        SubjectDirectoryAttributes attributes = SubjectDirectoryAttributes.getInstance(sign.getExtension(Extension.subjectDirectoryAttributes).getParsedValue());
        Map<String, Object> values = new java.util.HashMap<>();
        for (Object o : attributes.getAttributes()) {
            Attribute a = (Attribute) o;
            values.put(a.getAttrType().getId(), a.getAttrValues().getObjectAt(0));
        }
        assertThat(((ASN1GeneralizedTime) values.get(BCStyle.DATE_OF_BIRTH.getId())).getDate().toInstant().toString()).startsWith("1990-04-01");
        assertThat(((ASN1String) values.get(BCStyle.GENDER.getId())).getString()).isEqualTo("F");
        assertThat(((ASN1String) values.get(CertificateProfiles.ATTRIBUTE_KANA_NAME.getId())).getString()).isEqualTo("ヨシノ ハナコ");
        assertThat(sign.getExtension(Extension.subjectDirectoryAttributes)).isNotNull();
    }

    @Test
    void validityFollowsBirthdays() {
        String number = Residents.register(Residents.body("若林", "太郎", "ワカバヤシ", "タロウ", "2015-06-15"));
        CardFlow.Issued issued = CardFlow.issuedCardFor(number);
        X509Certificate auth = Pems.parseCertificate(issued.authCertificate()).orElseThrow();
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Tokyo"));
        LocalDate fifth = Lifetimes.certificateExpiry(LocalDate.of(2015, 6, 15), today);
        assertThat(fifth.getMonthValue()).isEqualTo(6);
        assertThat(auth.getNotAfter().toInstant().atZone(ZoneId.of("Asia/Tokyo")).toLocalDate()).isEqualTo(fifth);
        LocalDate expires = QuarkusTransaction.requiringNew().call(() ->
                em.createQuery("select c.expiresOn from Card c where c.cardId = :id", LocalDate.class).setParameter("id", issued.cardId()).getSingleResult());
        assertThat(expires).as("a minor's card lasts to the 5th birthday").isEqualTo(fifth);
        assertThat(Lifetimes.nthBirthdayAfter(LocalDate.of(1990, 4, 1), LocalDate.of(2025, 4, 1), 1)).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(Lifetimes.nthBirthdayAfter(LocalDate.of(1990, 4, 1), LocalDate.of(2025, 3, 31), 5)).isEqualTo(LocalDate.of(2029, 4, 1));
        assertThat(Lifetimes.cardExpiry(LocalDate.of(1990, 4, 1), LocalDate.of(2025, 5, 1))).isEqualTo(LocalDate.of(2035, 4, 1));
        assertThat(Lifetimes.nthBirthdayAfter(LocalDate.of(2000, 2, 29), LocalDate.of(2001, 2, 28), 1)).isEqualTo(LocalDate.of(2002, 2, 28));
    }

    @Test
    void refusesApplicationForDeceasedResident() {
        String number = Residents.register(Residents.sample());
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("number", number, "dateOfDeath", "2024-01-01"))
                .post("/api/residents/deaths").then().statusCode(200);
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("number", number)).post("/api/card-applications")
                .then().statusCode(409).body("code", equalTo("resident-deceased"));
    }

    @Test
    void refusesCsrCarryingAnotherResidentsApplication() {
        String alice = Residents.register(Residents.sample());
        String bob = Residents.register(Residents.body("佐藤", "次郎", "サトウ", "ジロウ", "1980-01-01"));
        String aliceApplication = CardFlow.openApplication(alice);
        String bobApplication = CardFlow.openApplication(bob);
        Card card = Card.create(null, CardFlow.PIN, CardFlow.PASSWORD);
        CertificateRequests forBob = card.certificateRequests(bobApplication, CardFlow.PIN, CardFlow.PASSWORD);
        long before = count("CardCertificate");
        CardFlow.issuance(aliceApplication, forBob.authCsrPem(), forBob.signCsrPem())
                .then().statusCode(422).body("code", equalTo("csr-application-mismatch"))
                .contentType(startsWith("application/problem+json"));
        // mixing: auth for alice's application, sign for bob's
        CertificateRequests forAlice = card.certificateRequests(aliceApplication, CardFlow.PIN, CardFlow.PASSWORD);
        CardFlow.issuance(aliceApplication, forAlice.authCsrPem(), forBob.signCsrPem())
                .then().statusCode(422).body("code", equalTo("csr-application-mismatch"));
        assertThat(count("CardCertificate")).isEqualTo(before);
    }

    @Test
    void refusesCsrForAKeyTheCardDidNotGenerate() throws Exception {
        String number = Residents.register(Residents.sample());
        String applicationId = CardFlow.openApplication(number);
        Card victim = Card.create(null, CardFlow.PIN, CardFlow.PASSWORD);
        KeyPair attacker = p256();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, applicationId).addRDN(BCStyle.SERIALNUMBER, "STOLEN-KEY").build();
        // the victim's public key, signed by the attacker's private key: no proof of possession
        String noPossession = csr(subject, victim.authPublicKey(), attacker);
        String fine = csr(subject, p256().getPublic(), null);
        CardFlow.issuance(applicationId, noPossession, fine).then().statusCode(400).body("code", equalTo("csr-signature-invalid"));
        CardFlow.issuance(applicationId, "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", fine)
                .then().statusCode(400).body("code", equalTo("csr-malformed"));
        CardFlow.issuance(applicationId, "not pem at all", fine).then().statusCode(400).body("code", equalTo("csr-malformed"));
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body("{\"authCsr\":1}")
                .post("/api/card-applications/" + applicationId + "/issuance").then().statusCode(400);
        assertThat(application(applicationId)).isEqualTo("open");
    }

    @Test
    void refusesAKeyThatIsAlreadyCertified() {
        CardFlow.Issued first = CardFlow.newHolder();
        String other = Residents.register(Residents.body("佐藤", "次郎", "サトウ", "ジロウ", "1980-01-01"));
        String applicationId = CardFlow.openApplication(other);
        // the same card (same keys, same id) presented again for another resident
        CertificateRequests again = first.card().certificateRequests(applicationId, CardFlow.PIN, CardFlow.PASSWORD);
        CardFlow.issuance(applicationId, again.authCsrPem(), again.signCsrPem()).then().statusCode(409)
                .body("code", org.hamcrest.Matchers.oneOf("card-id-taken", "key-already-certified"));
        assertThat(application(applicationId)).as("a refused issuance stores nothing").isEqualTo("open");
    }

    @Test
    void renewalNeverMovesACardToAnotherResident() {
        CardFlow.Issued alice = CardFlow.newHolder();
        String bob = Residents.register(Residents.body("佐藤", "次郎", "サトウ", "ジロウ", "1980-01-01"));
        String bobApplication = CardFlow.openApplication(bob);
        // a "renewal" of alice's card id with new keys, on bob's application
        Card sameId = Card.create(alice.cardId(), CardFlow.PIN, CardFlow.PASSWORD);
        CertificateRequests csrs = sameId.certificateRequests(bobApplication, CardFlow.PIN, CardFlow.PASSWORD);
        CardFlow.issuance(bobApplication, csrs.authCsrPem(), csrs.signCsrPem()).then().statusCode(409).body("code", equalTo("card-id-taken"));
        long aliceId = residentIdOfCard(alice.cardId());
        assertThat(activeCards(aliceId)).isEqualTo(1);
        // a genuine renewal for alice: new card on her own application, activation supersedes the old one
        CardFlow.Issued renewed = CardFlow.activeCardFor(alice.number());
        assertThat(residentIdOfCard(renewed.cardId())).isEqualTo(aliceId);
        assertThat(activeCards(aliceId)).isEqualTo(1);
        given().get("/api/certificates/" + alice.authSerial() + "/status").then().body("status", equalTo("revoked"))
                .body("reason", equalTo("superseded"));
        // bob's application is bound to bob: whatever card uses it, the card is bob's
        CardFlow.Issued bobs = CardFlow.issue(bob, Card.create(null, CardFlow.PIN, CardFlow.PASSWORD));
        assertThat(residentIdOfCard(bobs.cardId())).isNotEqualTo(aliceId);
    }

    @Test
    void concurrentActivationsLeaveAtMostOneActiveCard() throws Exception {
        String number = Residents.register(Residents.sample());
        CardFlow.Issued a = CardFlow.issuedCardFor(number);
        CardFlow.Issued b = CardFlow.issuedCardFor(number);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CardFlow.Issued target = i % 2 == 0 ? a : b;
            calls.add(() -> CardFlow.activation(target.card(), target.cardId(), target.activationChallenge()).statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(calls)) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).allMatch(s -> s == 200 || s == 409);
        long residentId = residentIdOfCard(a.cardId());
        assertThat(statuses).contains(200);
        assertThat(activeCards(residentId)).isEqualTo(1);
    }

    @Test
    void secondActiveCardIsImpossibleInTheDatabase() {
        CardFlow.Issued a = CardFlow.newHolder();
        CardFlow.Issued b = CardFlow.issuedCardFor(a.number());
        long residentId = residentIdOfCard(a.cardId());
        // bypass the service: the unique index itself refuses a second active card
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() ->
                em.createQuery("update Card c set c.status = 'active', c.activeResidentId = :r where c.cardId = :id")
                        .setParameter("r", residentId).setParameter("id", b.cardId()).executeUpdate()))).isNotNull();
        assertThat(activeCards(residentId)).isEqualTo(1);
    }

    @Test
    void concurrentIssuanceForOneApplicationIssuesOnce() throws Exception {
        String number = Residents.register(Residents.sample());
        String applicationId = CardFlow.openApplication(number);
        List<CertificateRequests> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(Card.create(null, CardFlow.PIN, CardFlow.PASSWORD).certificateRequests(applicationId, CardFlow.PIN, CardFlow.PASSWORD));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Integer>> calls = requests.stream().<Callable<Integer>>map(r ->
                () -> CardFlow.issuance(applicationId, r.authCsrPem(), r.signCsrPem()).statusCode()).toList();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(calls)) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(statuses).allMatch(s -> s == 200 || s == 409);
        long cards = QuarkusTransaction.requiringNew().call(() ->
                em.createQuery("select count(c) from Card c where c.applicationId = :a", Long.class).setParameter("a", applicationId).getSingleResult());
        assertThat(cards).isEqualTo(1);
    }

    /** Activation proves the card holds the key it was issued for; a refused activation activates nothing. */
    @Test
    void activationNeedsThisCardsSignatureOverItsOwnChallenge() {
        CardFlow.Issued issued = CardFlow.issuedCardFor(Residents.register(Residents.sample()));
        Card stranger = Card.create(null, CardFlow.PIN, CardFlow.PASSWORD);
        CardFlow.activation(stranger, issued.cardId(), issued.activationChallenge()).then()
                .statusCode(422).body("code", equalTo("signature-invalid"));
        String anotherChallenge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        CardFlow.activation(issued.card(), issued.cardId(), anotherChallenge).then()
                .statusCode(422).body("code", equalTo("signature-invalid"));
        CardFlow.activate(issued);
        CardFlow.login(issued.card(), "registry");
    }

    @Test
    void revocationIsVisibleAtOnce() {
        CardFlow.Issued issued = CardFlow.newHolder();
        CardFlow.revoke(issued.cardId(), "lost");
        given().get("/api/certificates/" + issued.authSerial() + "/status").then().statusCode(200)
                .body("status", equalTo("revoked")).body("reason", equalTo("lost"));
        given().get("/api/certificates/" + issued.signSerial() + "/status").then().body("status", equalTo("revoked"));
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("reason", "lost"))
                .post("/api/cards/" + issued.cardId() + "/revocation").then().statusCode(409).body("code", equalTo("card-already-revoked"));
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("reason", "bored"))
                .post("/api/cards/" + issued.cardId() + "/revocation").then().statusCode(400).body("code", equalTo("invalid-reason"));
        // a revoked card cannot be activated again
        CardFlow.activation(issued.card(), issued.cardId(), issued.activationChallenge()).then().statusCode(409).body("code", equalTo("card-revoked"));
    }

    @Test
    void residentChangesRevokeWhatTheyMust() {
        CardFlow.Issued moved = CardFlow.newHolder();
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON)
                .body(Map.of("number", moved.number(), "address", Map.of("postalCode", "1500001", "prefecture", "東京都", "municipality", "渋谷区", "line", "神宮前1-1")))
                .post("/api/residents/changes").then().statusCode(200);
        given().get("/api/certificates/" + moved.signSerial() + "/status").then().body("status", equalTo("revoked")).body("reason", equalTo("moved"));
        given().get("/api/certificates/" + moved.authSerial() + "/status").then().body("status", equalTo("good"));

        CardFlow.Issued died = CardFlow.newHolder();
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("number", died.number(), "dateOfDeath", "2025-01-01"))
                .post("/api/residents/deaths").then().statusCode(200);
        given().get("/api/certificates/" + died.authSerial() + "/status").then().body("status", equalTo("revoked")).body("reason", equalTo("deceased"));
        assertThat(activeCards(residentIdOfCard(died.cardId()))).isZero();
    }

    @Test
    void statusOfUnknownAndMalformedSerials() {
        given().get("/api/certificates/abcdef0123/status").then().statusCode(200).body("status", equalTo("unknown"));
        given().get("/api/certificates/xyz/status").then().statusCode(400).body("code", equalTo("invalid-serial"));
    }

    @Test
    void onlyClerksManageCards() {
        given().contentType(ContentType.JSON).body(Map.of("number", "123456789012")).post("/api/card-applications").then().statusCode(401);
        given().auth().oauth2(Tokens.auditor()).contentType(ContentType.JSON).body(Map.of("reason", "lost"))
                .post("/api/cards/ABC/revocation").then().statusCode(403);
    }

    // ------------------------------------------------------------------ helpers

    long residentIdOfCard(String cardId) {
        return QuarkusTransaction.requiringNew().call(() ->
                em.createQuery("select c.residentId from Card c where c.cardId = :id", Long.class).setParameter("id", cardId).getSingleResult());
    }

    long activeCards(long residentId) {
        return QuarkusTransaction.requiringNew().call(() ->
                em.createQuery("select count(c) from Card c where c.residentId = :r and c.status = 'active'", Long.class)
                        .setParameter("r", residentId).getSingleResult());
    }

    long count(String entity) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery("select count(e) from " + entity + " e", Long.class).getSingleResult());
    }

    String application(String id) {
        return QuarkusTransaction.requiringNew().call(() -> em.find(CardApplication.class, id).status);
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A CSR for {@code publicKey} signed by {@code signer}'s private key (null: a fresh key pair of its own). */
    static String csr(X500Name subject, PublicKey publicKey, KeyPair signer) throws Exception {
        KeyPair keys = signer;
        PublicKey key = publicKey;
        if (keys == null) {
            keys = p256();
            key = keys.getPublic();
        }
        return Pems.write(new JcaPKCS10CertificationRequestBuilder(subject, key)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    static String text(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        return ((ASN1String) name.getRDNs(type)[0].getFirst().getValue()).getString();
    }
}
