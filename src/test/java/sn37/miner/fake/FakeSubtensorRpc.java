package sn37.miner.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.scale.Hex;
import sn37.miner.chain.scale.ScaleReader;
import sn37.miner.chain.scale.ScaleWriter;
import sn37.miner.fake.FakeSubtensorChain.Block;

/**
 * The read methods of {@link FakeSubtensor}'s JSON-RPC over its chain state, shaped as a Substrate node answers
 * them (sc-rpc: hex strings, {@code null} for absent storage or unknown blocks) and strict about parameter counts
 * and shapes (-32602).
 */
final class FakeSubtensorRpc {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A JSON-RPC error answer. */
    static final class RpcFault extends Exception {
        final int code;

        RpcFault(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final FakeSubtensorChain chain;

    FakeSubtensorRpc(FakeSubtensorChain chain) {
        this.chain = chain;
    }

    JsonNode read(String method, JsonNode p) throws RpcFault {
        switch (method) {
            case "system_chain":
                params(p, 0, 0, method);
                return NODES.textNode("bittensor");
            case "system_properties":
                params(p, 0, 0, method);
                return NODES.objectNode().put("ss58Format", 42).put("tokenDecimals", 9).put("tokenSymbol", "TAO");
            case "state_getRuntimeVersion":
                params(p, 0, 1, method);
                atBlock(p, 0);
                return chain.runtimeVersion.deepCopy();
            case "state_getMetadata":
                params(p, 0, 1, method);
                atBlock(p, 0);
                return NODES.textNode(chain.metadataHex);
            case "chain_getBlockHash": {
                params(p, 0, 1, method);
                if (p.size() == 0 || p.get(0).isNull()) {
                    return NODES.textNode(chain.bestBlock().hash());
                }
                if (!p.get(0).canConvertToLong()) {
                    throw new RpcFault(-32602, "Invalid params: chain_getBlockHash takes a block number");
                }
                return chain.block(p.get(0).asLong()).<JsonNode>map(b -> NODES.textNode(b.hash())).orElse(NODES.nullNode());
            }
            case "chain_getHeader": {
                params(p, 0, 1, method);
                Optional<Block> b = p.size() == 0 || p.get(0).isNull() ? Optional.of(chain.bestBlock()) : chain.block(hash(p.get(0)));
                return b.<JsonNode>map(FakeSubtensorRpc::header).orElse(NODES.nullNode());
            }
            case "chain_getFinalizedHead":
                params(p, 0, 0, method);
                return NODES.textNode(chain.block(chain.finalizedNumber()).orElseThrow().hash());
            case "chain_getBlock": {
                params(p, 1, 1, method);
                return chain.block(hash(p.get(0))).<JsonNode>map(b -> {
                    ObjectNode answer = NODES.objectNode();
                    ObjectNode block = answer.putObject("block");
                    block.set("header", header(b));
                    ArrayNode xs = block.putArray("extrinsics");
                    b.extrinsics().forEach(x -> xs.add(Hex.encode(x)));
                    answer.putNull("justifications");
                    return answer;
                }).orElse(NODES.nullNode());
            }
            case "system_accountNextIndex":
                params(p, 1, 1, method);
                return NODES.numberNode(chain.nextIndex(account(p.get(0))));
            case "state_getStorage": {
                params(p, 1, 2, method);
                String key = hexParam(p.get(0), "storage key");
                Block at = atBlock(p, 1);
                return chain.storageAt(at, key).<JsonNode>map(v -> NODES.textNode(Hex.encode(v))).orElse(NODES.nullNode());
            }
            case "state_queryStorageAt": {
                params(p, 1, 2, method);
                if (!p.get(0).isArray()) {
                    throw new RpcFault(-32602, "Invalid params: state_queryStorageAt takes an array of keys");
                }
                Block at = atBlock(p, 1);
                ObjectNode set = NODES.objectNode().put("block", at.hash());
                ArrayNode changes = set.putArray("changes");
                for (JsonNode k : p.get(0)) {
                    String key = hexParam(k, "storage key");
                    ArrayNode pair = changes.addArray().add(key);
                    chain.storageAt(at, key).ifPresentOrElse(v -> pair.add(Hex.encode(v)), pair::addNull);
                }
                return NODES.arrayNode().add(set);
            }
            case "state_call": {
                params(p, 2, 3, method);
                atBlock(p, 2);
                String function = p.get(0).asText();
                if (!function.equals("Metadata_metadata_at_version")) {
                    throw new RpcFault(-32000, "Client error: Execution failed: Exported method " + function + " is not found");
                }
                // This node keeps V14 only: Option<OpaqueMetadata>::None for any other version.
                long version = new ScaleReader(Hex.decode(hexParam(p.get(1), "call data"))).u32();
                return NODES.textNode(version == 14
                        ? Hex.encode(new ScaleWriter().u8(1).bytes(Hex.decode(chain.metadataHex)).toByteArray()) : "0x00");
            }
            default:
                throw new RpcFault(-32601, "Method not found: " + method);
        }
    }

    static ObjectNode header(Block b) {
        ObjectNode h = NODES.objectNode().put("parentHash", b.parentHash()).put("number", "0x" + Long.toHexString(b.number()))
                .put("stateRoot", "0x" + "00".repeat(32)).put("extrinsicsRoot", "0x" + "00".repeat(32));
        h.putObject("digest").putArray("logs");
        return h;
    }

    private Block atBlock(JsonNode p, int index) throws RpcFault {
        if (p.size() <= index || p.get(index).isNull()) {
            return chain.bestBlock();
        }
        String hash = hash(p.get(index));
        return chain.block(hash).orElseThrow(() -> new RpcFault(4003, "Client error: UnknownBlock: State already discarded for " + hash));
    }

    static void params(JsonNode p, int min, int max, String method) throws RpcFault {
        if (p.size() < min || p.size() > max) {
            throw new RpcFault(-32602, "Invalid params: " + method + " takes " + min + " to " + max + " parameters, got " + p.size());
        }
    }

    static String hash(JsonNode node) throws RpcFault {
        if (!node.isTextual() || !node.asText().matches("0x[0-9a-fA-F]{64}")) {
            throw new RpcFault(-32602, "Invalid params: expected a 0x-prefixed 32-byte hash, got " + node);
        }
        return node.asText().toLowerCase();
    }

    static String hexParam(JsonNode node, String what) throws RpcFault {
        if (!node.isTextual() || !node.asText().matches("0x([0-9a-fA-F]{2})*")) {
            throw new RpcFault(-32602, "Invalid params: " + what + " must be 0x-prefixed hex, got " + node);
        }
        return node.asText().toLowerCase();
    }

    private static byte[] account(JsonNode node) throws RpcFault {
        try {
            return Ss58.decode(node.asText());
        } catch (IllegalArgumentException e) {
            throw new RpcFault(-32602, "Invalid params: " + e.getMessage());
        }
    }

    static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode frame = NODES.objectNode().put("jsonrpc", "2.0");
        frame.set("id", id);
        frame.putObject("error").put("code", code).put("message", message);
        return frame;
    }
}
