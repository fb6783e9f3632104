package sn37.miner.chain.commitment;

import sn37.miner.chain.ChainException;

/** The hotkey has no uid on the netuid, so the Commitments pallet would refuse it (AccountNotAllowedCommit). */
public class NotRegisteredException extends ChainException {
    public NotRegisteredException(String hotkey, int netuid, String endpoint) {
        super("hotkey " + hotkey + " is not registered on netuid " + netuid + " of the chain at " + endpoint
                + ": register it first (btcli subnet register --netuid " + netuid + " --wallet.name ... --wallet.hotkey ...),"
                + " or check --netuid, --wallet.hotkey and --subtensor.network");
    }
}
