package org.myna.platform.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A body over the size limit sent as curl sends a large one, with {@code Expect: 100-continue}: the server refuses it
 * before the body travels. Sent plainly, the server answered 413 while the client was still writing, and a test failed
 * now and then on a broken pipe instead of reading the answer.
 */
public final class LargeBodies {

    private LargeBodies() {
    }

    public static HttpResponse<String> postJson(URI uri, String bearer, Object body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).expectContinue(true)
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(body))).build();
        // HTTP/1.1: the default (h2c upgrade) answers 101 where the client waits for 100.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
