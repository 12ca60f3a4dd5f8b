package org.myna.registry.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every organisation role against every organisation endpoint: the allowed role gets past authorisation, every
 * other role gets a 403 problem, no token a 401 problem — never a 5xx, never a body with data.
 */
@QuarkusTest
class RoleMatrixTest {

    record Endpoint(String method, String path, Object body, Set<String> allowed) {
    }

    static final Map<String, String> CLIENT_OF_ROLE = Map.of(
            Roles.CLERK, "demo-clerk", Roles.INSURER, "demo-insurer", Roles.FACILITY, "demo-facility",
            Roles.PAYMENT_PROVIDER, "demo-payment", Roles.AUDITOR, "demo-auditor", Roles.SERVICE, "wallet-service");

    List<Endpoint> endpoints(String number) {
        return List.of(
                new Endpoint("POST", "/api/residents", Residents.sample(), Set.of(Roles.CLERK)),
                new Endpoint("POST", "/api/residents/lookup", Map.of("number", number), Set.of(Roles.CLERK)),
                new Endpoint("POST", "/api/residents/changes", Map.of("number", number, "givenName", "花"), Set.of(Roles.CLERK)),
                new Endpoint("POST", "/api/residents/deaths", Map.of("number", number, "dateOfDeath", "2025-01-01"), Set.of(Roles.CLERK)),
                new Endpoint("POST", "/api/residents/batch", Map.of("batchId", "matrix", "records", List.of()), Set.of(Roles.CLERK)),
                new Endpoint("GET", "/api/stats", null, Set.of(Roles.AUDITOR)));
    }

    @Test
    void everyRoleEndpointPairIsDecidedByRole() {
        String number = Residents.register(Residents.sample());
        List<String> failures = new ArrayList<>();
        for (Endpoint e : endpoints(number)) {
            int anonymous = call(given(), e);
            if (anonymous != 401) {
                failures.add("anonymous " + e.method() + " " + e.path() + " -> " + anonymous);
            }
            for (Map.Entry<String, String> role : CLIENT_OF_ROLE.entrySet()) {
                int status = call(given().auth().oauth2(Tokens.of(role.getValue())), e);
                boolean mayPass = e.allowed().contains(role.getKey());
                if (mayPass ? status == 401 || status == 403 || status >= 500 : status != 403) {
                    failures.add(role.getKey() + " " + e.method() + " " + e.path().replace(number, "{number}") + " -> " + status);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    private static int call(RequestSpecification spec, Endpoint e) {
        if (e.body() != null) {
            spec = spec.contentType(ContentType.JSON).body(e.body());
        }
        return spec.request(e.method(), e.path()).then()
                .extract().statusCode();
    }
}
