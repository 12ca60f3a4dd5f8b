package org.myna.insurance.fhir;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.CoverageEligibilityRequest;
import org.hl7.fhir.r4.model.CoverageEligibilityRequest.EligibilityRequestPurpose;
import org.hl7.fhir.r4.model.CoverageEligibilityRequest.EligibilityRequestStatus;
import org.hl7.fhir.r4.model.CoverageEligibilityResponse;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.myna.insurance.eligibility.EligibilityCheck;
import org.myna.insurance.support.Cards;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;
import org.myna.platform.accesslog.AccessLogOutboxRow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FHIR R4 façade: the same checks as the REST API, answered as CoverageEligibilityResponse or OperationOutcome,
 * every answer validated by HAPI's FhirValidator against the R4 base definitions (offline).
 */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class FhirEligibilityResourceTest {

    static final FhirContext CTX = FhirContext.forR4Cached();
    static final String CHECK = "/fhir/CoverageEligibilityRequest/$check";

    @InjectRegistryMock
    WireMockServer registry;

    /**
     * A linked member (fixture). The class's first enrolment is the first registry call of the application (REST
     * client, service token): on a machine at load 35 it outran the 2.5 s read timeout twice (503 from the
     * enrolment, not from anything under test), so the fixture, and only it, is tried a second time.
     */
    Fixtures.Linked member(String family) {
        try {
            return Fixtures.linkedMember(registry, family, "花子");
        } catch (AssertionError coldStart) {
            return Fixtures.linkedMember(registry, family, "花子");
        }
    }

    void registryKnows(Cards card, String status, String linkCode) {
        registry.stubFor(post(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate())))
                .willReturn(okJson("{\"status\":\"" + status + "\"" + (linkCode == null ? "" : ",\"linkCode\":\"" + linkCode + "\"") + "}")));
    }

    static RequestSpecification facility() {
        return given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION)
                // rest-assured writes an unknown media type in ISO-8859-1 unless told: the symbols are kanji.
                .contentType("application/fhir+json; charset=UTF-8").accept("application/fhir+json");
    }

    static String json(Resource r) {
        return CTX.newJsonParser().encodeResourceToString(r);
    }

    static <T extends Resource> T parse(Class<T> type, String body) {
        return CTX.newJsonParser().parseResource(type, body);
    }

    /** A FHIR answer: content type application/fhir+json, no validation error. */
    static String fhirAnswer(ExtractableResponse<Response> r) {
        assertThat(r.contentType()).startsWith("application/fhir+json");
        String body = new String(r.asByteArray(), StandardCharsets.UTF_8);
        FhirValidation.assertValid(body);
        return body;
    }

    static CoverageEligibilityRequest request() {
        CoverageEligibilityRequest request = new CoverageEligibilityRequest();
        request.setStatus(EligibilityRequestStatus.ACTIVE);
        request.addPurpose(EligibilityRequestPurpose.VALIDATION);
        request.setCreatedElement(new DateTimeType("2026-12-07T10:00:00+09:00"));
        request.addIdentifier().setSystem("https://hospital.example/his/eligibility-requests").setValue("req-1");
        Patient patient = new Patient();
        patient.setId("p");
        request.addContained(patient);
        request.setPatient(new Reference("#p"));
        request.setInsurer(new Reference().setDisplay("insurer"));
        return request;
    }

    static CoverageEligibilityRequest byInsuredPerson(Fixtures.Linked m, String birthDate) {
        CoverageEligibilityRequest request = request();
        ((Patient) request.getContained().get(0)).setBirthDateElement(new DateType(birthDate));
        request.setInsurer(new Reference().setIdentifier(new Identifier().setSystem(EligibilityFhir.INSURER_NUMBER_SYSTEM).setValue(m.insurerNumber())));
        request.addInsurance().setCoverage(new Reference().setIdentifier(new Identifier().setSystem(EligibilityFhir.INSURED_PERSON_SYSTEM)
                .setValue(m.body().get("symbol") + ":" + m.body().get("number") + ":" + m.body().get("branch"))));
        return request;
    }

    static CoverageEligibilityRequest byCertificate(String number) {
        CoverageEligibilityRequest request = request();
        request.addInsurance().setCoverage(new Reference().setIdentifier(new Identifier().setSystem(EligibilityFhir.CERTIFICATE_SYSTEM).setValue(number)));
        return request;
    }

    /** $challenge, then the card signs the nonce, then $check with Parameters. */
    static ExtractableResponse<Response> cardCheck(Cards card) {
        String challenge = fhirAnswer(facility().post("/fhir/CoverageEligibilityRequest/$challenge").then().statusCode(200).extract());
        Parameters issued = parse(Parameters.class, challenge);
        String challengeId = issued.getParameter("challengeId").getValue().primitiveValue();
        String nonce = issued.getParameter("nonce").getValue().primitiveValue();
        return facility().body(json(cardParameters(card, challengeId, card.sign(nonce)))).post(CHECK).then().extract();
    }

    static Parameters cardParameters(Cards card, String challengeId, String signature) {
        Parameters in = new Parameters();
        in.addParameter().setName("request").setResource(request());
        in.addParameter().setName("challengeId").setValue(new StringType(challengeId));
        in.addParameter().setName("certificate").setValue(new StringType(card.authCertificate()));
        // FHIR base64Binary is standard base64; the card simulator answers base64url.
        in.addParameter().setName("signature").setValue(new Base64BinaryType(java.util.Base64.getUrlDecoder().decode(signature)));
        return in;
    }

    static long checks() {
        return QuarkusTransaction.requiringNew().call(() -> EligibilityCheck.count());
    }

    static OperationOutcome.OperationOutcomeIssueComponent issue(String body) {
        return parse(OperationOutcome.class, body).getIssueFirstRep();
    }

    static String reason(String body) {
        return issue(body).getDetails().getCodingFirstRep().getCode();
    }

    @Test
    void metadataIsAValidCapabilityStatementDeclaringTheOperations() {
        String body = fhirAnswer(given().get("/fhir/metadata").then().statusCode(200).extract());
        CapabilityStatement cs = parse(CapabilityStatement.class, body);
        assertThat(cs.getRestFirstRep().getResourceFirstRep().getType()).isEqualTo("CoverageEligibilityRequest");
        assertThat(cs.getRestFirstRep().getResourceFirstRep().getOperation()).extracting(o -> o.getName()).containsExactly("check", "challenge");
        for (var op : cs.getRestFirstRep().getResourceFirstRep().getOperation()) {
            String id = op.getDefinition().substring(op.getDefinition().lastIndexOf('/') + 1);
            fhirAnswer(given().get("/fhir/OperationDefinition/" + id).then().statusCode(200).extract());
        }
        String missing = fhirAnswer(given().get("/fhir/OperationDefinition/nothing").then().statusCode(404).extract());
        assertThat(reason(missing)).isEqualTo("not-found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"髙橋", "山﨑", "𠮷野", "葛\uDB40\uDD00城"})
    void cardCheckAnswersCoverageWithInsurerCopayPeriodAndTheExactName(String family) {
        Fixtures.Linked member = member(family);
        Cards card = Cards.valid();
        registryKnows(card, "good", member.linkCode());
        long logged = QuarkusTransaction.requiringNew().call(() -> AccessLogOutboxRow.count("linkCode", member.linkCode()));
        ExtractableResponse<Response> r = cardCheck(card);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        String body = fhirAnswer(r);
        CoverageEligibilityResponse response = parse(CoverageEligibilityResponse.class, body);
        assertThat(response.getDisposition()).isEqualTo("covered");
        assertThat(response.getInsuranceFirstRep().getInforce()).isTrue();
        assertThat(response.getPurpose()).extracting(p -> p.getValue().toCode()).containsExactly("validation");
        Patient patient = (Patient) contained(response, "Patient");
        // The exact bytes, surrogate pairs and variation selectors included.
        assertThat(patient.getNameFirstRep().getFamily().getBytes(StandardCharsets.UTF_8)).isEqualTo(family.getBytes(StandardCharsets.UTF_8));
        assertThat(body).contains("\"family\":\"" + family + "\"");
        assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("花子");
        Organization insurer = (Organization) contained(response, "Organization");
        assertThat(insurer.getName()).isEqualTo("テスト健康保険組合");
        assertThat(insurer.getIdentifierFirstRep().getValue()).isEqualTo(member.insurerNumber());
        Coverage coverage = (Coverage) contained(response, "Coverage");
        assertThat(coverage.getCostToBeneficiaryFirstRep().getValueQuantity().getValue().intValue()).isEqualTo(30);
        assertThat(coverage.getCostToBeneficiaryFirstRep().getType().getCodingFirstRep().getCode()).isEqualTo("copaypct");
        assertThat(coverage.getPeriod().getStartElement().getValueAsString()).isEqualTo("2020-04-01");
        assertThat(response.getInsuranceFirstRep().getBenefitPeriod().getStartElement().getValueAsString()).isEqualTo("2020-04-01");
        // The same record and access-log row as a REST card check.
        assertThat(QuarkusTransaction.requiringNew().call(() -> AccessLogOutboxRow.<AccessLogOutboxRow>list("linkCode = ?1 order by id", member.linkCode())))
                .hasSize((int) logged + 1).last().satisfies(row -> assertThat(row.purpose).isEqualTo("eligibility-check:card"));
    }

    static Resource contained(CoverageEligibilityResponse response, String type) {
        return response.getContained().stream().filter(r -> r.fhirType().equals(type)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({"revoked, card-revoked", "suspended, card-suspended"})
    void aRevokedOrSuspendedCardIsRefusedWithAnOperationOutcomeNeverACoverage(String status, String result) {
        Fixtures.Linked member = member("山田");
        Cards card = Cards.valid();
        registryKnows(card, status, member.linkCode());
        ExtractableResponse<Response> r = cardCheck(card);
        assertThat(r.statusCode()).isEqualTo(422);
        String body = fhirAnswer(r);
        assertThat(body).doesNotContain("CoverageEligibilityResponse", "山田");
        assertThat(parse(OperationOutcome.class, body).getIssue()).hasSize(1);
        assertThat(issue(body).getCode()).isEqualTo(OperationOutcome.IssueType.BUSINESSRULE);
        assertThat(issue(body).getDetails().getCodingFirstRep().getSystem()).isEqualTo(FhirOutcomes.REASONS);
        assertThat(reason(body)).isEqualTo(result);
    }

    @Test
    void anExpiredCertificatePointsToTheFallbacksWhichAnswerByFhirIdentifiers() {
        Fixtures.Linked member = member("山田");
        ExtractableResponse<Response> expired = cardCheck(Cards.expired());
        assertThat(expired.statusCode()).isEqualTo(422);
        String body = fhirAnswer(expired);
        OperationOutcome outcome = parse(OperationOutcome.class, body);
        assertThat(reason(body)).isEqualTo("certificate-expired");
        assertThat(outcome.getIssue().subList(1, outcome.getIssue().size()))
                .extracting(i -> i.getSeverity().toCode() + " " + i.getDetails().getCodingFirstRep().getCode())
                .containsExactly("information eligibility-certificate", "information insurance-number");

        // insurer number + symbol:number:branch + the contained Patient's birth date
        String covered = fhirAnswer(facility().body(json(byInsuredPerson(member, "1990-04-01"))).post(CHECK).then().statusCode(200).extract());
        CoverageEligibilityResponse response = parse(CoverageEligibilityResponse.class, covered);
        assertThat(response.getDisposition()).isEqualTo("covered");
        assertThat(response.getRequest().getIdentifier().getValue()).isEqualTo("req-1");
        String wrongBirth = fhirAnswer(facility().body(json(byInsuredPerson(member, "1990-04-02"))).post(CHECK).then().statusCode(422).extract());
        assertThat(reason(wrongBirth)).isEqualTo("not-found");

        // the eligibility certificate (資格確認書) number
        String certificate = given().auth().oauth2(Tokens.insurer(member.clientId())).contentType("application/json")
                .body(Map.of("insurerNumber", member.insurerNumber(), "memberId", member.memberId()))
                .post("/api/eligibility-certificates").then().statusCode(201).extract().path("certificateNumber");
        fhirAnswer(facility().body(json(byCertificate(certificate))).post(CHECK).then().statusCode(200).extract());
        assertThat(reason(fhirAnswer(facility().body(json(byCertificate("AAAAAAAAAAAAAAAAAAAAAAAA"))).post(CHECK).then().statusCode(422).extract())))
                .isEqualTo("not-found");
        // The resident sees the fallback checks, as with the REST API.
        given().auth().oauth2(Tokens.resident(member.linkCode())).get("/api/me/eligibility-checks").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void aCoverageThatEndedIsAnsweredNotInForce() {
        Fixtures.Linked member = member("山田");
        QuarkusTransaction.requiringNew().run(() -> org.myna.insurance.member.Member.update("coverageEnd = ?1 where id = ?2",
                java.time.LocalDate.of(2021, 3, 31), member.memberId()));
        ExtractableResponse<Response> r = facility().body(json(byInsuredPerson(member, "1990-04-01"))).post(CHECK).then().extract();
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        String body = fhirAnswer(r);
        CoverageEligibilityResponse response = parse(CoverageEligibilityResponse.class, body);
        assertThat(response.getDisposition()).isEqualTo("coverage-ended");
        assertThat(response.getInsuranceFirstRep().getInforce()).isFalse();
        assertThat(response.getInsuranceFirstRep().getBenefitPeriod().getEndElement().getValueAsString()).isEqualTo("2021-03-31");
    }

    /** Malformed requests: a 4xx OperationOutcome naming the reason, nothing recorded, never a 5xx. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json at all|malformed-fhir",
            "{\"resourceType\":\"CoverageEligibilityRequest\"|malformed-fhir",
            "{\"foo\":1}|malformed-fhir",
            "[]|malformed-fhir",
            "{\"resourceType\":\"Nonsense\"}|malformed-fhir",
            "{\"resourceType\":\"Patient\",\"birthDate\":\"1990-04-01\"}|unsupported-resource",
            "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"validation\"],\"surprise\":true}|malformed-fhir",
            "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"validation\"],\"created\":\"yesterday\"}|malformed-fhir",
            "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"benefits\"]}|unsupported-purpose",
            "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"draft\",\"purpose\":[\"validation\"]}|unsupported-status",
            "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"validation\"]}|identifier-required",
            "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"validation\"],\"insurance\":[{\"coverage\":{\"identifier\":{\"system\":\"urn:other\",\"value\":\"1\"}}}]}|unknown-identifier-system",
            "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"validation\"],\"insurance\":[{\"coverage\":{\"identifier\":{\"system\":\"https://myna.example/fhir/sid/insured-person\",\"value\":\"A:1\"}}}]}|invalid-insured-person",
            "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"validation\"],\"insurance\":[{\"coverage\":{\"identifier\":{\"system\":\"https://myna.example/fhir/sid/insured-person\",\"value\":\"A:1:01\"}}}]}|insurer-number-required",
            "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"validation\"],\"insurer\":{\"identifier\":{\"system\":\"https://myna.example/fhir/sid/insurer-number\",\"value\":\"06139993\"}},\"insurance\":[{\"coverage\":{\"identifier\":{\"system\":\"https://myna.example/fhir/sid/insured-person\",\"value\":\"A:1:01\"}}}]}|birth-date-required",
            "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"validation\"],\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\",\"birthDate\":\"1990\"}],\"patient\":{\"reference\":\"#p\"},\"insurer\":{\"identifier\":{\"system\":\"https://myna.example/fhir/sid/insurer-number\",\"value\":\"06139993\"}},\"insurance\":[{\"coverage\":{\"identifier\":{\"system\":\"https://myna.example/fhir/sid/insured-person\",\"value\":\"A:1:01\"}}}]}|birth-date-required",
            "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"validation\"],\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\",\"birthDate\":\"1990-04-01\"}],\"patient\":{\"reference\":\"#p\"},\"insurer\":{\"identifier\":{\"system\":\"https://myna.example/fhir/sid/insurer-number\",\"value\":\"12\"}},\"insurance\":[{\"coverage\":{\"identifier\":{\"system\":\"https://myna.example/fhir/sid/insured-person\",\"value\":\"A:1:01\"}}}]}|invalid-insurer-number",
            "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"challengeId\",\"valueString\":\"x\"}]}|request-required",
            "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"request\",\"resource\":{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"validation\"]}}]}|parameter-required",
            "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"request\",\"resource\":{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"active\",\"purpose\":[\"validation\"]}},{\"name\":\"challengeId\",\"valueString\":\"x\"},{\"name\":\"certificate\",\"valueString\":\"not a pem\"},{\"name\":\"signature\",\"valueBase64Binary\":\"AAAA\"}]}|challenge-unknown",
    })
    void aMalformedRequestIsA400OperationOutcomeAndRecordsNothing(String body, String code) {
        long before = checks();
        ExtractableResponse<Response> r = facility().body(body).post(CHECK).then().extract();
        assertThat(r.statusCode()).as(r.asString()).isBetween(400, 499);
        String answer = fhirAnswer(r);
        assertThat(reason(answer)).isEqualTo(code);
        assertThat(r.asString()).doesNotContain("problem", "Exception", "at org.");
        assertThat(checks()).isEqualTo(before);
    }

    @Test
    void refusalsOfTheHttpLayerAreOperationOutcomesToo() {
        String body = json(byCertificate("AAAAAAAAAAAAAAAAAAAAAAAA"));
        ExtractableResponse<Response> anonymous = given().contentType("application/fhir+json").body(body).post(CHECK).then().statusCode(401).extract();
        assertThat(reason(fhirAnswer(anonymous))).isEqualTo("unauthorized");
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(reason(fhirAnswer(given().auth().oauth2("not.a.token").contentType("application/fhir+json").body(body).post(CHECK)
                .then().statusCode(401).extract()))).isEqualTo("unauthorized");
        assertThat(reason(fhirAnswer(given().auth().oauth2(Tokens.insurer("insurer-x")).contentType("application/fhir+json").body(body)
                .post(CHECK).then().statusCode(403).extract()))).isEqualTo("forbidden");
        assertThat(reason(fhirAnswer(given().auth().oauth2(Tokens.facility()).contentType("application/fhir+json").body(body)
                .post(CHECK).then().statusCode(400).extract()))).isEqualTo("institution-code-required");
        assertThat(reason(fhirAnswer(facility().contentType("text/plain").body(body).post(CHECK).then().statusCode(415).extract())))
                .isEqualTo("unsupported-media-type");
        // A POST to the type would be a create: not offered.
        assertThat(fhirAnswer(facility().body(body).post("/fhir/CoverageEligibilityRequest").then().statusCode(405).extract()))
                .contains("not-supported");
        assertThat(reason(fhirAnswer(facility().get("/fhir/Patient").then().statusCode(404).extract()))).isEqualTo("not-found");
    }

    /**
     * FHIR R4 http.html §3.1.0.1.7: application/json is accepted for application/fhir+json (as HAPI does), and
     * {@code _format} overrides Accept; the answer is the formal type with its UTF-8 charset stated. A format not
     * spoken here (XML) is a 406 OperationOutcome.
     */
    @Test
    void applicationJsonAndFormatJsonAreAnsweredInFhirJsonAndXmlIsA406OperationOutcome() {
        ExtractableResponse<Response> metadata = given().accept("application/json").get("/fhir/metadata").then().statusCode(200).extract();
        assertThat(metadata.contentType()).isEqualToIgnoringCase("application/fhir+json;charset=UTF-8");
        assertThat(parse(CapabilityStatement.class, fhirAnswer(metadata)).getFormat()).extracting(f -> f.getValue())
                .contains("application/fhir+json", "json");
        String challenge = fhirAnswer(facility().accept("application/json").post("/fhir/CoverageEligibilityRequest/$challenge")
                .then().statusCode(200).extract());
        assertThat(parse(Parameters.class, challenge).getParameter("challengeId")).isNotNull();
        // The operation with a body: a refusal in the same media type.
        ExtractableResponse<Response> check = facility().contentType("application/json; charset=UTF-8").accept("application/json, */*;q=0.1")
                .body(json(byCertificate("AAAAAAAAAAAAAAAAAAAAAAAA"))).post(CHECK).then().extract();
        assertThat(check.statusCode()).as(check.asString()).isIn(400, 422);
        assertThat(check.contentType()).isEqualToIgnoringCase("application/fhir+json;charset=UTF-8");
        fhirAnswer(check);
        fhirAnswer(given().accept("application/fhir+json; fhirVersion=4.0").get("/fhir/metadata").then().statusCode(200).extract());

        // _format overrides Accept, both ways.
        fhirAnswer(given().accept("application/xml").queryParam("_format", "json").get("/fhir/metadata").then().statusCode(200).extract());
        fhirAnswer(given().accept("application/xml").queryParam("_format", "application/json").get("/fhir/metadata").then().statusCode(200).extract());
        for (String xml : new String[]{"xml", "application/fhir+xml", "text/xml", "ttl", "a/b/c", "*/*"}) {
            ExtractableResponse<Response> refused = given().queryParam("_format", xml).get("/fhir/metadata").then().extract();
            assertThat(refused.statusCode()).as(xml).isEqualTo(406);
            assertThat(reason(fhirAnswer(refused))).isEqualTo("not-acceptable");
        }
        ExtractableResponse<Response> xmlAccept = facility().accept("application/fhir+xml").post("/fhir/CoverageEligibilityRequest/$challenge")
                .then().statusCode(406).extract();
        assertThat(reason(fhirAnswer(xmlAccept))).isEqualTo("not-acceptable");
    }

    @Test
    void aSignedChallengeIsSpentByOneCheckTheReplayIsAConflict() {
        Fixtures.Linked member = member("山田");
        Cards card = Cards.valid();
        registryKnows(card, "good", member.linkCode());
        String challenge = fhirAnswer(facility().post("/fhir/CoverageEligibilityRequest/$challenge").then().statusCode(200).extract());
        Parameters issued = parse(Parameters.class, challenge);
        String id = issued.getParameter("challengeId").getValue().primitiveValue();
        String body = json(cardParameters(card, id, card.sign(issued.getParameter("nonce").getValue().primitiveValue())));
        fhirAnswer(facility().body(body).post(CHECK).then().statusCode(200).extract());
        assertThat(reason(fhirAnswer(facility().body(body).post(CHECK).then().statusCode(409).extract()))).isEqualTo("challenge-used");
        // A signature over another nonce is refused, as on the REST API.
        String other = parse(Parameters.class, fhirAnswer(facility().post("/fhir/CoverageEligibilityRequest/$challenge").then().statusCode(200).extract()))
                .getParameter("challengeId").getValue().primitiveValue();
        assertThat(reason(fhirAnswer(facility().body(json(cardParameters(card, other, card.sign(issued.getParameter("nonce").getValue().primitiveValue()))))
                .post(CHECK).then().statusCode(400).extract()))).isEqualTo("signature-invalid");
    }
}
