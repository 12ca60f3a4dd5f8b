package org.myna.registry.cardlogin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.OAuthClient;
import org.myna.registry.auth.Roles;
import org.myna.registry.auth.TokenService;
import org.myna.registry.ca.Pems;
import org.myna.registry.card.CardCredentials;
import org.myna.registry.card.CardService;
import org.myna.registry.card.CertificateStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Card login from a PC by the OAuth 2.0 device authorization grant (RFC 8628). The portal (a confidential client
 * with role portal) starts a login and shows the user code; the resident's card app looks the code up, shows who is
 * asking (the portal's registered name), the code and when it was made BEFORE the PIN, then the card signs this
 * login's own nonce; the portal, polling with its device code, receives a resident token.
 *
 * <p>Against the remote phishing of RFC 8628 §5.4 (an attacker starts a login and sends the victim the code): the
 * card app shows the requesting portal and the time, so "claim your points" next to "log in to マイナポータル at
 * 10:42" reads wrong; a code lives two minutes and is approved once; the token goes only to the client that started
 * the login and proves its secret again when it redeems; and the token is a login at the registry, never an
 * operation token (points, payment bindings and accounts each need a fresh card signature for that operation).
 */
@ApplicationScoped
public class DeviceLoginService {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    /** RFC 8628 §6.1: 20 consonants, no vowels (no words), no look-alikes; 8 characters = 34 bits. */
    private static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

    private final ResidentAuthConfig config;
    private final ResidentAuthService auth;
    private final TokenService tokens;
    private final CardCredentials credentials;
    private final TokenExchangeService logins;
    private final SecureRandom random = new SecureRandom();

    /**
     * The acts a portal may ask a resident's card to approve, and the audience whose operation token each needs
     * (the kiosk's seal certificate is not a portal's act).
     */
    public static final java.util.Map<String, String> PORTAL_ACTS = java.util.Map.of(
            "apply-points", "wallet", "choose-payment-service", "wallet",
            "register-public-fund-account", "registry", "create-virtual-id", "registry");
    /** What the card app shows of an act: printable text, short (the portal writes it; the registry bounds it). */
    private static final java.util.regex.Pattern ACT_DETAIL = java.util.regex.Pattern.compile("[\\p{L}\\p{M}\\p{N}\\p{P}\\p{Zs}\\p{S}]{1,200}");

    public DeviceLoginService(ResidentAuthConfig config, ResidentAuthService auth, TokenService tokens,
                              CardCredentials credentials, TokenExchangeService logins) {
        this.config = config;
        this.auth = auth;
        this.tokens = tokens;
        this.credentials = credentials;
        this.logins = logins;
    }

    /** An act to approve: the operation, what the card app shows of it, and the resident who must approve it. */
    record Act(String operation, String audience, String detail, long residentId) {
    }

    public record Started(String deviceCode, String userCode, long expiresIn, long interval) {
    }

    /** What the card app shows before the PIN, and the nonce the card signs. */
    public record Pending(String userCode, String clientId, String clientName, OffsetDateTime createdAt,
                          OffsetDateTime expiresAt, String nonce,
                          @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true, description = "The act to approve (an operation); absent for a login") String operation,
                          @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true, description = "The act's details as the portal described them") String act) {
    }

    public Started start(String clientId, String secret) {
        return start(clientId, secret, null, null, null);
    }

    /**
     * Starts a login (no operation) or, with {@code operation}, an act for the resident whose registry login is
     * {@code subjectToken}: the same code, lookup and card approval, but only that resident's card can approve it, and
     * its redemption is a single-use operation token for that operation, never a login.
     */
    public Started start(String clientId, String secret, String operation, String detail, String subjectToken) {
        OAuthClient client = tokens.authenticate(clientId, secret);
        if (!client.roleList().contains(Roles.PORTAL)) {
            throw new Problem(401, "unauthorized_client", "This client may not start resident logins.");
        }
        Act act = null;
        if (operation != null || detail != null || subjectToken != null) {
            if (operation == null || !PORTAL_ACTS.containsKey(operation)) {
                throw Problem.invalidField("operation", "invalid-operation", "operation must be one of " + PORTAL_ACTS.keySet() + ".");
            }
            if (detail == null || !ACT_DETAIL.matcher(detail).matches()) {
                throw Problem.invalidField("act", "invalid-act", "act must describe the act in 1 to 200 printable characters.");
            }
            if (subjectToken == null) {
                throw Problem.invalidField("subject_token", "invalid-request", "An act needs the resident's login token as subject_token.");
            }
            act = new Act(operation, PORTAL_ACTS.get(operation), detail, logins.login(subjectToken).residentId());
        }
        Act theAct = act;
        String deviceCode = auth.random(32);
        OffsetDateTime now = OffsetDateTime.now();
        for (int attempt = 0; ; attempt++) {
            String userCode = userCode();
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    DeviceAuthorization d = new DeviceAuthorization();
                    d.deviceCodeHash = sha256(deviceCode);
                    d.userCode = userCode;
                    d.clientId = client.clientId;
                    d.nonce = auth.random(32);
                    d.status = DeviceAuthorization.PENDING;
                    d.createdAt = now;
                    d.expiresAt = now.plus(config.deviceCodeLifetime());
                    if (theAct != null) {
                        d.operation = theAct.operation();
                        d.audience = theAct.audience();
                        d.actDetail = theAct.detail();
                        d.forResidentId = theAct.residentId();
                    }
                    d.persist();
                });
                return new Started(deviceCode, userCode, config.deviceCodeLifetime().toSeconds(),
                        config.devicePollInterval().toSeconds());
            } catch (RuntimeException e) {
                if (attempt >= 2) { // three user codes in a row taken: not a collision
                    throw e;
                }
            }
        }
    }

    @Transactional
    public Pending lookup(String userCode) {
        DeviceAuthorization d = pending(userCode);
        OAuthClient client = OAuthClient.findById(d.clientId);
        String name = client == null || client.organisationName == null ? d.clientId : client.organisationName;
        return new Pending(d.userCode, d.clientId, name, d.createdAt, d.expiresAt, d.nonce, d.operation, d.actDetail);
    }

    /** The card's signature over this login's nonce approves it, once, for the card's holder. */
    public void approve(String userCode, String certificatePem, String signatureB64) {
        if (certificatePem == null || signatureB64 == null) {
            throw Problem.badRequest("invalid-request", "userCode, certificate and signature are required.");
        }
        byte[] signature = CardService.decode(signatureB64, "signature");
        X509Certificate certificate = Pems.parseCertificate(certificatePem).orElseThrow(() ->
                Problem.invalidField("certificate", "certificate-malformed", "certificate must be one PEM X.509 certificate."));
        record Asked(String nonce, Long forResident) {
        }
        Asked asked = QuarkusTransaction.requiringNew().call(() -> {
            DeviceAuthorization d = pending(userCode);
            return new Asked(d.nonce, d.forResidentId);
        });
        CardCredentials.Holder holder = auth.verifyCard(certificate, signature, Base64.getUrlDecoder().decode(asked.nonce()));
        if (asked.forResident() != null && asked.forResident() != holder.residentId()) {
            // A relayed act: the code stays pending, and only its own resident's card can approve it.
            throw new Problem(403, "act-other-resident", "This act was asked for by another resident; only their card can approve it.");
        }
        OffsetDateTime now = OffsetDateTime.now();
        int approved = QuarkusTransaction.requiringNew().call(() -> DeviceAuthorization.update(
                "status = ?1, approvedAt = ?2, residentId = ?3, authSerial = ?4 "
                        + "where userCode = ?5 and status = ?6 and expiresAt > ?2",
                DeviceAuthorization.APPROVED, now, holder.residentId(), holder.status().serial(),
                normalise(userCode), DeviceAuthorization.PENDING));
        if (approved != 1) {
            throw new Problem(409, "login-code-used", "This login code was approved already or has just expired.");
        }
    }

    /**
     * RFC 8628 §3.4–3.5: the portal polls with its device code and its own credentials. Errors keep the RFC's
     * names as codes: authorization_pending, slow_down, expired_token, invalid_grant.
     */
    public TokenService.IssuedToken redeem(String clientId, String secret, String deviceCode) {
        OAuthClient client = tokens.authenticate(clientId, secret);
        if (deviceCode == null || deviceCode.length() > 64) {
            throw new Problem(400, "invalid_grant", "Unknown device code.");
        }
        OffsetDateTime now = OffsetDateTime.now();
        // The outcome is decided in a transaction that commits (the poll time is kept), and refused outside it.
        record Poll(String outcome, Long residentId, String serial, String operation, String audience) {
        }
        Poll poll = QuarkusTransaction.requiringNew().call(() -> {
            DeviceAuthorization d = DeviceAuthorization.findById(sha256(deviceCode));
            if (d == null || !d.clientId.equals(client.clientId)) {
                return new Poll("unknown", null, null, null, null);
            }
            if (DeviceAuthorization.REDEEMED.equals(d.status)) {
                return new Poll("redeemed", null, null, null, null);
            }
            if (DeviceAuthorization.PENDING.equals(d.status)) {
                if (!d.expiresAt.isAfter(now)) {
                    return new Poll("expired", null, null, null, null);
                }
                boolean tooSoon = d.polledAt != null
                        && d.polledAt.plus(config.devicePollInterval()).minusNanos(250_000_000L).isAfter(now);
                d.polledAt = now;
                return new Poll(tooSoon ? "slow_down" : "pending", null, null, null, null);
            }
            int taken = DeviceAuthorization.update("status = ?1 where deviceCodeHash = ?2 and status = ?3",
                    DeviceAuthorization.REDEEMED, d.deviceCodeHash, DeviceAuthorization.APPROVED);
            return taken == 1 ? new Poll("approved", d.residentId, d.authSerial, d.operation, d.audience) : new Poll("redeemed", null, null, null, null);
        });
        switch (poll.outcome()) {
            case "unknown" -> throw new Problem(400, "invalid_grant", "Unknown device code.");
            case "redeemed" -> throw new Problem(400, "invalid_grant", "This login was completed already.");
            case "expired" -> throw new Problem(400, "expired_token", "The login code expired before a card approved it.");
            case "slow_down" -> throw new Problem(400, "slow_down", "Polling too fast: wait the interval.");
            case "pending" -> throw new Problem(400, "authorization_pending", "Waiting for the card to approve.");
            default -> {
            }
        }
        // The card must still be good when the token is made, not only when it approved.
        CertificateStatus status = credentials.status(poll.serial());
        if (!CertificateStatus.GOOD.equals(status.status())) {
            throw new Problem(400, "access_denied", "The card that approved this login is no longer valid.");
        }
        CardCredentials.Holder holder = new CardCredentials.Holder(poll.residentId(), status);
        if (poll.operation() != null) {
            // An approved act: one single-use operation token for it, as a card would get at /api/auth/operation-tokens.
            return auth.sign(holder, poll.audience(), org.myna.registry.auth.OperationTokens.GROUP, poll.operation(),
                    config.operationTokenLifetime().toSeconds());
        }
        return auth.sign(holder, "registry", Roles.RESIDENT, null, config.tokenLifetime().toSeconds());
    }

    private DeviceAuthorization pending(String userCode) {
        DeviceAuthorization d = userCode == null ? null
                : DeviceAuthorization.find("userCode", normalise(userCode)).firstResult();
        if (d == null) {
            throw new Problem(404, "login-code-unknown", "No login is waiting for this code.");
        }
        if (!DeviceAuthorization.PENDING.equals(d.status)) {
            throw new Problem(409, "login-code-used", "This login code was approved already.");
        }
        if (!d.expiresAt.isAfter(OffsetDateTime.now())) {
            throw new Problem(410, "login-code-expired", "This login code has expired; start the login again.");
        }
        return d;
    }

    /** "wdjb mjht", "WDJBMJHT" and "WDJB-MJHT" are the same code (RFC 8628 §6.1). */
    static String normalise(String userCode) {
        String s = userCode.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z]", "");
        return s.length() == 8 ? s.substring(0, 4) + "-" + s.substring(4) : s;
    }

    private String userCode() {
        StringBuilder b = new StringBuilder(9);
        for (int i = 0; i < 8; i++) {
            if (i == 4) {
                b.append('-');
            }
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
