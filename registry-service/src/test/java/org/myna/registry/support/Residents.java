package org.myna.registry.support;

import io.restassured.http.ContentType;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Builds resident registration bodies and registers them through the API. */
public final class Residents {

    private Residents() {
    }

    public static Map<String, Object> body(String family, String given, String familyKana, String givenKana, String dob) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("familyName", family);
        body.put("givenName", given);
        body.put("familyNameKana", familyKana);
        body.put("givenNameKana", givenKana);
        body.put("dateOfBirth", dob);
        body.put("sex", "female");
        body.put("address", new LinkedHashMap<>(Map.of("postalCode", "100-0001", "prefecture", "東京都",
                "municipality", "千代田区", "line", "千代田1-1")));
        return body;
    }

    public static Map<String, Object> sample() {
        return body("山田", "花子", "ヤマダ", "ハナコ", "1990-04-01");
    }

    /** Registers and returns the assigned number. */
    public static String register(Map<String, Object> body) {
        return given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(body)
                .post("/api/residents")
                .then().statusCode(201)
                .extract().path("number");
    }
}
