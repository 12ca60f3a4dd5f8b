package org.myna.registry.seal;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import org.myna.registry.auth.SigningKeys;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Seal images, registrations and kiosk operation tokens for the seal tests. */
public final class SealFixtures {

    static final String ISSUER = "https://registry.myna.local";

    private static volatile String clerkToken;
    private static volatile long clerkTokenFetched;

    private SealFixtures() {
    }

    /**
     * A clerk token younger than four minutes. The shared Tokens cache keeps its first token for the whole run, and the
     * 1,000-resident test can outlast a token's five minutes on a loaded machine.
     */
    static synchronized String clerk() {
        if (clerkToken == null || System.nanoTime() - clerkTokenFetched > 240_000_000_000L) {
            clerkToken = io.restassured.RestAssured.given()
                    .formParam("grant_type", "client_credentials")
                    .formParam("client_id", "demo-clerk")
                    .formParam("client_secret", "demo-clerk-secret")
                    .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
            clerkTokenFetched = System.nanoTime();
        }
        return clerkToken;
    }

    /** A red circle, as a seal impression looks; the colour varies so hashes differ. */
    static byte[] image(String format, int width, int height, int shade) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(200, shade & 0xff, (shade >> 8) & 0xff));
        g.drawOval(1, 1, width - 3, height - 3);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] png() {
        return image("png", 64, 64, (int) (Math.random() * 65536));
    }

    /** Registers a resident with a fresh clerk token and returns the assigned number. */
    static String resident(Map<String, Object> body) {
        return given().auth().oauth2(clerk()).contentType(ContentType.JSON).body(body)
                .post("/api/residents").then().statusCode(201).extract().path("number");
    }

    static Map<String, Object> body(byte[] image, String mediaType) {
        return Map.of("image", Base64.getEncoder().encodeToString(image), "mediaType", mediaType);
    }

    static Response postSeal(String number, Map<String, Object> body) {
        Map<String, Object> withNumber = new java.util.HashMap<>(body);
        withNumber.put("number", number);
        return given().auth().oauth2(clerk()).contentType(ContentType.JSON).body(withNumber)
                .post("/api/seals");
    }

    /** Registers a PNG seal and returns the response (card number, seal id, version, hash). */
    static Response registerSeal(String number) {
        Response r = postSeal(number, body(png(), "image/png"));
        r.then().statusCode(201);
        return r;
    }

    static Response counter(String cardNumber) {
        return given().auth().oauth2(clerk()).contentType(ContentType.JSON)
                .body(Map.of("registrationCardNumber", cardNumber)).post("/api/seal-certificates");
    }

    static Response deregister(long sealId, String reason) {
        return given().auth().oauth2(clerk()).contentType(ContentType.JSON)
                .body(Map.of("reason", reason)).post("/api/seals/" + sealId + "/deregistration");
    }

    static Response kiosk(String token) {
        return given().auth().oauth2(token).post("/api/kiosk/seal-certificates");
    }

    /** What the card-authentication endpoint hands out for a kiosk: one minute, one operation, one use. */
    static String kioskToken(SigningKeys keys, String registryLinkCode) {
        return operationToken(keys, registryLinkCode, "kiosk-seal-certificate", "operation");
    }

    /** Names an active card of the subject's resident, as a token from the card login does. */
    static String operationToken(SigningKeys keys, String subject, String op, String group) {
        return Jwt.issuer(ISSUER).subject(subject).audience("registry").groups(group)
                .claim("op", op).claim("jti", UUID.randomUUID().toString())
                .claim("card", org.myna.registry.support.CardRows.serialFor(subject)).expiresIn(60)
                .jws().keyId(keys.keyId()).sign(keys.privateKey());
    }
}
