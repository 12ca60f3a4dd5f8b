package org.myna.platform.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A body over the size limit sent as curl sends a large one, with {@code Expect: 100-continue}: the server refuses it
 * before the body travels. Sent plainly, the server answered 413 while the client was still writing, and a test failed
 * now and then on a broken pipe instead of reading the answer. Spoken over a plain socket: the JDK client waited
 * forever for a 413 that had a body (the problem+json) instead of 100 Continue.
 */
public final class LargeBodies {

    private LargeBodies() {
    }

    /** The final answer: status, headers (lower-case names) and body. */
    public record Answer(int statusCode, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public static Answer postJson(URI uri, String bearer, Object body) throws Exception {
        byte[] bytes = new ObjectMapper().writeValueAsBytes(body);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Authorization: Bearer " + bearer + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n"
                    + "Expect: 100-continue\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.setSoTimeout(2_000);
            Answer answer;
            try {
                answer = read(in);
            } catch (SocketTimeoutException noInterimAnswer) {
                answer = new Answer(100, Map.of(), ""); // as curl: after a second or two, send the body anyway
            }
            socket.setSoTimeout(60_000);
            if (answer.statusCode() == 100) {
                out.write(bytes);
                out.flush();
                answer = read(in);
            }
            return answer;
        }
    }

    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h; !(h = line(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        if (code == 100) {
            return new Answer(100, headers, "");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
        } else if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            in.transferTo(body);
        }
        return new Answer(code, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed before the answer");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
