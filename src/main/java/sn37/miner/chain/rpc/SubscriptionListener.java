package sn37.miner.chain.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import sn37.miner.chain.ChainConnectionException;

/** Receives a subscription's notifications on the connection's reader thread; keep the work short. */
public interface SubscriptionListener {
    void onNotification(JsonNode result);

    /** The connection closed: no more notifications will come for this subscription. */
    void onDisconnect(ChainConnectionException cause);
}
