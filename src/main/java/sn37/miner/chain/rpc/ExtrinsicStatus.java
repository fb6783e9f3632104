package sn37.miner.chain.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import sn37.miner.chain.ChainException;

/**
 * A notification of {@code author_submitAndWatchExtrinsic} (sc-transaction-pool-api {@code TransactionStatus},
 * serialised camelCase: bare strings for unit variants, one-key objects otherwise).
 */
public sealed interface ExtrinsicStatus {
    record Future() implements ExtrinsicStatus {}

    record Ready() implements ExtrinsicStatus {}

    record Broadcast(List<String> peers) implements ExtrinsicStatus {}

    record InBlock(String blockHash) implements ExtrinsicStatus {}

    /** The block it was in is no longer on the best chain; it may come back in another block. */
    record Retracted(String blockHash) implements ExtrinsicStatus {}

    /** GRANDPA did not finalize its block in time (the node's limit, not ours). */
    record FinalityTimeout(String blockHash) implements ExtrinsicStatus {}

    record Finalized(String blockHash) implements ExtrinsicStatus {}

    /** Another extrinsic with the same sender and nonce replaced it. */
    record Usurped(String byExtrinsicHash) implements ExtrinsicStatus {}

    /** Removed from this node's pool (full, or limits); other nodes may still hold it. */
    record Dropped() implements ExtrinsicStatus {}

    record Invalid() implements ExtrinsicStatus {}

    static ExtrinsicStatus parse(JsonNode result) {
        if (result != null && result.isTextual()) {
            switch (result.asText()) {
                case "future": return new Future();
                case "ready": return new Ready();
                case "dropped": return new Dropped();
                case "invalid": return new Invalid();
                default: break;
            }
        }
        if (result != null && result.isObject() && result.size() == 1) {
            String key = result.fieldNames().next();
            JsonNode value = result.get(key);
            switch (key) {
                case "ready": return new Ready();
                case "future": return new Future();
                case "broadcast": {
                    List<String> peers = new ArrayList<>();
                    value.forEach(p -> peers.add(p.asText()));
                    return new Broadcast(peers);
                }
                case "inBlock": return new InBlock(value.asText());
                case "retracted": return new Retracted(value.asText());
                case "finalityTimeout": return new FinalityTimeout(value.asText());
                case "finalized": return new Finalized(value.asText());
                case "usurped": return new Usurped(value.asText());
                case "dropped": return new Dropped();
                case "invalid": return new Invalid();
                default: break;
            }
        }
        throw new ChainException("unknown extrinsic status " + result + " from author_submitAndWatchExtrinsic");
    }
}
