package org.myna.portal.services;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The registry, as the portal uses it. */
@ApplicationScoped
public class RegistryClient {

    public record Token(String accessToken, long expiresIn) {
    }

    private final RegistryApi api;

    public RegistryClient(@RestClient RegistryApi api) {
        this.api = api;
    }

    /** An organisation's token by client credentials: the receptionist logs the facility in. */
    public Token facilityToken(String clientId, String secret) {
        return token(Calls.call("registry", () -> api.clientCredentials("client_credentials", clientId, secret)), 300);
    }

    /** {@code verificationUriComplete}: RFC 8628's URI with the user code, for the QR code (null if not given). */
    public record DeviceLogin(String deviceCode, String userCode, long expiresIn, long interval,
                              String verificationUriComplete) {
    }

    /** RFC 8628: the portal starts a resident's card login. */
    public DeviceLogin startDeviceLogin(String clientId, String secret) {
        return deviceLogin(Calls.call("registry", () -> api.deviceAuthorization(clientId, secret)));
    }

    /** RFC 8628 makes verification_uri_complete optional: without it, the QR code is built from verification_uri. */
    private static DeviceLogin deviceLogin(RegistryApi.DeviceAnswer d) {
        String complete = d.verificationUriComplete();
        if (complete == null && d.verificationUri() != null && d.userCode() != null) {
            String uri = d.verificationUri();
            complete = uri + (uri.contains("?") ? "&" : "?") + "user_code="
                    + java.net.URLEncoder.encode(d.userCode(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return new DeviceLogin(d.deviceCode(), d.userCode(), d.expiresIn() == null ? 0 : d.expiresIn(),
                d.interval() == null ? 2 : d.interval(), complete);
    }

    private static Token token(RegistryApi.TokenAnswer t, long defaultExpiresIn) {
        return new Token(t.accessToken(), t.expiresIn() == null ? defaultExpiresIn : t.expiresIn());
    }

    /** The resident's token once her card approved; a ServiceProblem authorization_pending, slow_down, ... before. */
    public Token deviceToken(String clientId, String secret, String deviceCode) {
        return token(Calls.call("registry", () -> api.deviceToken("urn:ietf:params:oauth:grant-type:device_code",
                clientId, secret, deviceCode)), 300);
    }

    public RegistryApi.Me me(String token) {
        return Calls.call("registry", () -> api.me("Bearer " + token));
    }

    /** One page of her access log and the cursor of the next (from the Link header, RFC 8288), null on the last. */
    public record AccessLogPage(JsonNode rows, String nextCursor) {
    }

    public AccessLogPage accessLogPage(String token, AccessLogQuery q) {
        jakarta.ws.rs.core.Response[] holder = new jakarta.ws.rs.core.Response[1];
        JsonNode rows = Calls.call("registry", () -> {
            jakarta.ws.rs.core.Response r = api.accessLogPage("Bearer " + token, q.organisation(), q.purpose(), q.from(),
                    q.to(), q.cursor(), q.limit());
            if (r.getStatus() >= 400) {
                throw new jakarta.ws.rs.WebApplicationException(r);
            }
            holder[0] = r;
            return r.readEntity(JsonNode.class);
        });
        return new AccessLogPage(rows, nextCursor(holder[0].getHeaderString("Link")));
    }

    /** The filters and position of one access-log page, as the registry takes them (from/to ISO-8601 instants). */
    public record AccessLogQuery(String organisation, String purpose, String from, String to, String cursor, int limit) {
    }

    private static final java.util.regex.Pattern NEXT = java.util.regex.Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?");

    static String nextCursor(String link) {
        if (link == null) {
            return null;
        }
        java.util.regex.Matcher m = NEXT.matcher(link);
        if (!m.find()) {
            return null;
        }
        String target = m.group(1);
        int q = target.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : target.substring(q + 1).split("&")) {
            if (pair.startsWith("cursor=")) {
                return java.net.URLDecoder.decode(pair.substring("cursor=".length()), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    public JsonNode suspendCard(String token) {
        return Calls.call("registry", () -> api.suspendCard("Bearer " + token));
    }

    /** RFC 8693: the resident's registry login exchanged for a token at wallet or insurance (their own subject). */
    public Token exchange(String clientId, String secret, String registryToken, String audience) {
        return token(Calls.call("registry", () -> api.exchange("urn:ietf:params:oauth:grant-type:token-exchange",
                clientId, secret, registryToken, "urn:ietf:params:oauth:token-type:access_token", audience)), 60);
    }

    /**
     * An act for the logged-in resident (same shape as the login): the registry shows {@code act} to her card app
     * before the PIN, only her card can approve it, and {@link #deviceToken} then yields a single-use operation token.
     */
    public DeviceLogin startAct(String clientId, String secret, String operation, String act, String residentToken) {
        return deviceLogin(Calls.call("registry", () -> api.deviceAct(clientId, secret, operation, act, residentToken)));
    }

    /** Her public-fund account; a ServiceProblem no-public-fund-account when she has none. */
    public RegistryApi.PublicFundAccount publicFundAccount(String token) {
        return Calls.call("registry", () -> api.publicFundAccount("Bearer " + token));
    }

    public RegistryApi.PublicFundAccount registerPublicFundAccount(String operationToken, RegistryApi.AccountRequest account) {
        return Calls.call("registry", () -> api.registerPublicFundAccount("Bearer " + operationToken, account));
    }
}
