package sn37.miner.wandb;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run node of a {@code project.runs} page. {@code id} is the node's {@code name}, the run id the SDK calls
 * {@code run.id} (and the one SN1 validators sign); {@code storageId} is the node's {@code id}.
 * {@code configJson} is the JSON string the server sends.
 */
public record WandbRun(String id, String storageId, String displayName, String state, String createdAt,
        String configJson) {

    /**
     * The config with {@code {"value": v, "desc": ...}} entries unwrapped to {@code v}, as the SDK's
     * {@code Run.load} does; {@code _wandb} and {@code wandb_version} are left out.
     *
     * @throws WandbException if the config is not a JSON object
     */
    public Map<String, JsonNode> config() throws WandbException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (configJson == null || configJson.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = WandbHttp.JSON.readTree(configJson);
        } catch (JacksonException e) {
            throw new WandbException("run " + id + " has a config that is not JSON: " + e.getOriginalMessage());
        }
        if (!root.isObject()) {
            throw new WandbException("run " + id + " has a config that is a JSON " + root.getNodeType()
                    + ", expected an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("_wandb") || e.getKey().equals("wandb_version")) {
                continue;
            }
            JsonNode v = e.getValue();
            out.put(e.getKey(), v.isObject() && v.has("value") ? v.get("value") : v);
        }
        return out;
    }
}
