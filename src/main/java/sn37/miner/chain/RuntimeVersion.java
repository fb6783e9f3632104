package sn37.miner.chain;

import com.fasterxml.jackson.databind.JsonNode;

/** The fields of {@code state_getRuntimeVersion} an extrinsic signs over. */
public record RuntimeVersion(String specName, int specVersion, int transactionVersion) {

    static RuntimeVersion from(JsonNode json) {
        if (json == null || !json.path("specVersion").canConvertToInt() || !json.path("transactionVersion").canConvertToInt()) {
            throw new ChainException("state_getRuntimeVersion returned no specVersion/transactionVersion: " + json);
        }
        return new RuntimeVersion(json.path("specName").asText(), json.get("specVersion").asInt(),
                json.get("transactionVersion").asInt());
    }
}
