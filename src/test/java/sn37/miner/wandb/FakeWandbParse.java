package sn37.miner.wandb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** Parses JSON strings in tests the way the W&B client writes them (NaN allowed). */
final class FakeWandbParse {
    private FakeWandbParse() {}

    static JsonNode json(String text) {
        try {
            return WandbHttp.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
