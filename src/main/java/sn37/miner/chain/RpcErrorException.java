package sn37.miner.chain;

/**
 * A JSON-RPC error object from the node, e.g. {@code 1010 {"invalid":{"badProof":null}}} when the transaction
 * pool refuses an extrinsic (Substrate {@code author} errors 1010 to 1016).
 */
public class RpcErrorException extends ChainException {
    private final int code;
    private final String rpcMessage;

    public RpcErrorException(String method, int code, String rpcMessage, String data) {
        super(method + " failed with JSON-RPC error " + code + ": " + rpcMessage + (data == null ? "" : " (" + data + ")"));
        this.code = code;
        this.rpcMessage = rpcMessage;
    }

    public int code() {
        return code;
    }

    public String rpcMessage() {
        return rpcMessage;
    }
}
