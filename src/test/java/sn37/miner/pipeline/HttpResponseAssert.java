package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import sn37.miner.util.Json;

final class HttpResponseAssert {
    private HttpResponseAssert() {}

    static JsonNode accepted(HttpResponse<String> r) throws Exception {
        assertEquals(202, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    /** The status, a JSON error body with exactly the keys error and detail, and a detail containing the text. */
    static JsonNode status(int status, String detailContains, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = Json.mapper().readTree(r.body());
        assertEquals(2, body.size(), r.body());
        assertTrue(body.has("error"), r.body());
        assertTrue(body.get("detail").asText().contains(detailContains),
                "detail should contain '" + detailContains + "': " + r.body());
        assertFalse(r.body().contains("\tat "), "no stack trace in responses");
        return body;
    }
}
