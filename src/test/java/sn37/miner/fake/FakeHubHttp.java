package sn37.miner.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/** The fake Hub's small HTTP vocabulary: JSON answers, the Hub's error shape, and request header reads. */
final class FakeHubHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    private FakeHubHttp() {}

    static String host(RecordedRequest request) {
        String host = header(request, "Host");
        if (host == null) {
            return "";
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 ? host.substring(0, colon) : host;
    }

    static String header(RecordedRequest request, String name) {
        return request.getHeaders().get(name);
    }

    static MockResponse.Builder json(int code, JsonNode body) {
        try {
            return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                    .body(new Buffer().write(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static MockResponse.Builder error(int code, String errorCode, String message) {
        MockResponse.Builder response = json(code, JSON.createObjectNode().put("error", message));
        if (errorCode != null) {
            response.setHeader("X-Error-Code", errorCode);
        }
        return response;
    }
}
