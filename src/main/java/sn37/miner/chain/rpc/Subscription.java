package sn37.miner.chain.rpc;

/** A live subscription; {@link #close()} unsubscribes when the connection is still up. */
public interface Subscription extends AutoCloseable {
    String id();

    @Override
    void close();
}
