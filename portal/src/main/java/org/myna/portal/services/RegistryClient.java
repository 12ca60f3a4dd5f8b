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
        JsonNode t = Calls.call("registry", () -> api.clientCredentials("client_credentials", clientId, secret));
        return new Token(t.path("access_token").asText(), t.path("expires_in").asLong(300));
    }

    public record DeviceLogin(String deviceCode, String userCode, long expiresIn, long interval) {
    }

    /** RFC 8628: the portal starts a resident's card login. */
    public DeviceLogin startDeviceLogin(String clientId, String secret) {
        JsonNode d = Calls.call("registry", () -> api.deviceAuthorization(clientId, secret));
        return new DeviceLogin(d.path("device_code").asText(), d.path("user_code").asText(), d.path("expires_in").asLong(),
                d.path("interval").asLong(2));
    }

    /** The resident's token once her card approved; a ServiceProblem authorization_pending, slow_down, ... before. */
    public Token deviceToken(String clientId, String secret, String deviceCode) {
        JsonNode t = Calls.call("registry", () -> api.deviceToken("urn:ietf:params:oauth:grant-type:device_code",
                clientId, secret, deviceCode));
        return new Token(t.path("access_token").asText(), t.path("expires_in").asLong(300));
    }

    public JsonNode me(String token) {
        return Calls.call("registry", () -> api.me("Bearer " + token));
    }

    public JsonNode accessLog(String token, String organisation, String purpose) {
        return Calls.call("registry", () -> api.accessLog("Bearer " + token, organisation, purpose, 100));
    }

    public JsonNode suspendCard(String token) {
        return Calls.call("registry", () -> api.suspendCard("Bearer " + token));
    }

    /** RFC 8693: the resident's registry login exchanged for a token at wallet or insurance (their own subject). */
    public Token exchange(String clientId, String secret, String registryToken, String audience) {
        JsonNode t = Calls.call("registry", () -> api.exchange("urn:ietf:params:oauth:grant-type:token-exchange",
                clientId, secret, registryToken, "urn:ietf:params:oauth:token-type:access_token", audience));
        return new Token(t.path("access_token").asText(), t.path("expires_in").asLong(60));
    }

    /**
     * An act for the logged-in resident (same shape as the login): the registry shows {@code act} to her card app
     * before the PIN, only her card can approve it, and {@link #deviceToken} then yields a single-use operation token.
     */
    public DeviceLogin startAct(String clientId, String secret, String operation, String act, String residentToken) {
        JsonNode d = Calls.call("registry", () -> api.deviceAct(clientId, secret, operation, act, residentToken));
        return new DeviceLogin(d.path("device_code").asText(), d.path("user_code").asText(), d.path("expires_in").asLong(),
                d.path("interval").asLong(2));
    }

    /** Her public-fund account; a ServiceProblem no-public-fund-account when she has none. */
    public JsonNode publicFundAccount(String token) {
        return Calls.call("registry", () -> api.publicFundAccount("Bearer " + token));
    }

    public JsonNode registerPublicFundAccount(String operationToken, java.util.Map<String, String> account) {
        return Calls.call("registry", () -> api.registerPublicFundAccount("Bearer " + operationToken, account));
    }
}
