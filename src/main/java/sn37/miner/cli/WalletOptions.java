package sn37.miner.cli;

import picocli.CommandLine.Option;

/** The bittensor wallet and subtensor flags, shared by {@code mine} and {@code upload} as in the reference. */
final class WalletOptions {
    @Option(names = "--wallet.name", description = "Bittensor wallet name (default 'default').")
    String walletName;
    @Option(names = "--wallet.hotkey", description = "Hotkey name (default 'default').")
    String walletHotkey;
    @Option(names = "--wallet.path", description = "Wallets directory (default ~/.bittensor/wallets).")
    String walletPath;
    @Option(names = "--subtensor.network", description = "finney (default), test or local.")
    String network;
    @Option(names = "--subtensor.chain_endpoint", description = "ws:// or wss:// endpoint; overrides --subtensor.network.")
    String chainEndpoint;
}
