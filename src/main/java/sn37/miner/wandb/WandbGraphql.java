package sn37.miner.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST {base}/graphql} with {@code {"query", "variables"}}. An answer with {@code errors} is an error even
 * with HTTP 200, and an answer with neither {@code data} nor {@code errors} is one too (wandb's
 * {@code gql_request.py} raises in both cases).
 */
public final class WandbGraphql {
    private static final Pattern OPERATION = Pattern.compile("^\\s*(?:query|mutation)\\s+(\\w+)");

    private final WandbHttp http;

    public WandbGraphql(WandbHttp http) {
        this.http = http;
    }

    /** Runs {@code query} and returns its {@code data} object. */
    public JsonNode execute(String query, ObjectNode variables) throws IOException {
        String operation = operationName(query);
        ObjectNode body = WandbHttp.JSON.createObjectNode();
        body.put("query", query);
        body.set("variables", variables);
        String what = "W&B GraphQL " + operation;
        JsonNode answer = http.post(http.url("graphql"), body, what);
        JsonNode errors = answer.get("errors");
        if (errors != null && !errors.isNull() && !(errors.isArray() && errors.isEmpty())) {
            throw new WandbGraphqlException(operation, messages(errors));
        }
        JsonNode data = answer.get("data");
        if (data == null || !data.isObject()) {
            throw new WandbException(what + " answered without \"data\" or \"errors\": not a GraphQL answer;"
                    + " check that miner.wandb.base-url points at the W&B API");
        }
        return data;
    }

    private static List<String> messages(JsonNode errors) {
        List<String> out = new ArrayList<>();
        if (errors.isArray()) {
            for (JsonNode e : errors) {
                out.add(WandbHttp.clip(e.path("message").isTextual() ? e.path("message").asText() : e.toString()));
            }
        } else {
            out.add(WandbHttp.clip(errors.toString()));
        }
        return out;
    }

    static String operationName(String query) {
        Matcher m = OPERATION.matcher(query);
        if (!m.find()) {
            throw new IllegalArgumentException("a GraphQL document must start with a named query or mutation");
        }
        return m.group(1);
    }
}
