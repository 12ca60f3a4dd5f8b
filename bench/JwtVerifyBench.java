import io.smallrye.jwt.auth.principal.*;
import java.nio.file.*;
import java.security.*;
import java.security.spec.*;
import java.util.*;
import java.nio.charset.StandardCharsets;

/**
 * Issue 18: where an operation token's verification goes, in one JVM on the wallet's own jars: smallrye-jwt's full parse, the
 * RSA-2048 signature check alone, jose4j's claims parse (microseconds per token, five rounds of 20,000 single-use tokens).
 * usage: java -cp "<quarkus-app>/lib/main/*:<quarkus-app>/lib/boot/*" bench/JwtVerifyBench.java <dir with verify.pem and
 * signing.der, e.g. bench/target/hot-paths/keys>
 */
public class JwtVerifyBench {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve("signing.der"))));
        String pem = Files.readString(dir.resolve("verify.pem"));
        int n = 20000;
        String[] tokens = new String[n];
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < n; i++) {
            String claims = "{\"iss\":\"https://registry.myna.local\",\"sub\":\"bl" + i + "abcdefabcdefabcdefabcdefabcd\",\"aud\":\"wallet\",\"groups\":[\"operation\"],\"iat\":" + now
                + ",\"exp\":" + (now + 7200) + ",\"jti\":\"" + UUID.randomUUID() + "\",\"op\":\"apply-points\"}";
            String head = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes()) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
            Signature s = Signature.getInstance("SHA256withRSA"); s.initSign(key); s.update(head.getBytes(StandardCharsets.US_ASCII));
            tokens[i] = head + "." + b64(s.sign());
        }
        JWTAuthContextInfo info = new JWTAuthContextInfo(pem.replaceAll("-----[A-Z ]+-----|\\s", ""), "https://registry.myna.local");
        // location-based like the bench
        JWTAuthContextInfo loc = new JWTAuthContextInfo();
        loc.setPublicKeyLocation("file:" + dir.resolve("verify.pem"));
        loc.setIssuedBy("https://registry.myna.local");
        loc.setExpectedAudience(Set.of("wallet"));
        loc.setGroupsPath("groups");
        DefaultJWTCallerPrincipalFactory f = new DefaultJWTCallerPrincipalFactory();
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""))));
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) f.parse(tokens[i], loc);
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String t = tokens[i]; int d = t.lastIndexOf('.');
                Signature s = Signature.getInstance("SHA256withRSA"); s.initVerify(pub); s.update(t.substring(0, d).getBytes(StandardCharsets.US_ASCII));
                if (!s.verify(Base64.getUrlDecoder().decode(t.substring(d + 1)))) throw new IllegalStateException();
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String t = tokens[i]; int d1 = t.indexOf('.'), d = t.lastIndexOf('.');
                org.jose4j.jwt.JwtClaims.parse(new String(Base64.getUrlDecoder().decode(t.substring(d1 + 1, d)), StandardCharsets.UTF_8));
            }
            long t3 = System.nanoTime();
            System.out.printf("smallrye parse %.1f us, RSA verify only %.1f us, jose4j claims parse %.1f us%n", (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, (t3 - t2) / 1e3 / n);
        }
    }
    static String b64(byte[] b) { return Base64.getUrlEncoder().withoutPadding().encodeToString(b); }
}
