package sn37.miner.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * JSON in and out. Answers are read as trees because the Hub adds fields freely. Bodies are sent as byte arrays
 * so OkHttp does not append {@code ; charset=utf-8} to the content type (platform.md §3.6).
 */
final class HubJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final MediaType JSON = MediaType.get("application/json");
    static final MediaType LFS = MediaType.get("application/vnd.git-lfs+json");
    static final MediaType NDJSON = MediaType.get("application/x-ndjson");

    private HubJson() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static RequestBody body(JsonNode node, MediaType type) {
        try {
            return RequestBody.create(MAPPER.writeValueAsBytes(node), type);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    static JsonNode read(Response response, Op op) throws IOException {
        byte[] bytes = response.body().bytes();
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw malformed(response, op, "is not JSON", e);
        }
    }

    /** A required text field; a missing one means the Hub's answer changed shape. */
    static String text(JsonNode node, String field, Response response, Op op) throws HubException {
        JsonNode value = node.get(field);
        if (value == null || !value.isValueNode() || value.isNull()) {
            throw malformed(response, op, "lacks '" + field + "'", null);
        }
        return value.asText();
    }

    static String optionalText(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    static HubException malformed(Response response, Op op, String problem, Throwable cause) {
        HubException.Info info = new HubException.Info(op.repo(), response.code(), response.header("X-Error-Code"),
                response.header("X-Request-Id"), null);
        return new HubException("the answer to " + op.describe() + " " + problem + " (HTTP " + response.code()
                + ", request id " + info.requestId() + "). The Hub API may have changed; report it with the request id.",
                info, cause);
    }
}
