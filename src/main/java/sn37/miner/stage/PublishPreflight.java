package sn37.miner.stage;

import sn37.miner.chain.ChainException;
import sn37.miner.chain.ChainSettings;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.chain.commitment.Metagraph;
import sn37.miner.wallet.Hotkey;
import sn37.miner.wallet.Wallet;

/**
 * What a run that will publish must have before any data is fetched or any step trained: a Hub token, a repo,
 * a hotkey file, and that hotkey registered on the subnet (reference neurons/miner.py: assert_registered and
 * the HF_ACCESS_TOKEN check, done at start-up). An --offline run needs none of it.
 */
public final class PublishPreflight {
    private PublishPreflight() {}

    /** Returns a one-line description of what was checked; throws a StageException naming what is missing. */
    public static String check(RunParams p, StageServices services, ChainSettings options) {
        if (p.offline()) return "offline: nothing will be published";
        services.secrets().requireHfToken();
        if (p.hfRepoId() == null) {
            throw new StageException("no --hf_repo_id: the model would be trained but could never be uploaded;"
                    + " give the repo (namespace/name), or run with --offline");
        }
        Hotkey hotkey = Wallet.fromFlags(p.walletPath(), p.walletName(), p.walletHotkey());
        String endpoint = services.endpoints().subtensor(p.subtensorNetwork(), p.subtensorChainEndpoint());
        try (SubtensorClient chain = SubtensorClient.connect(endpoint, options)) {
            int uid = new Metagraph(chain).uidOf(p.netuid(), hotkey.publicKey(), chain.bestBlock())
                    .orElseThrow(() -> new StageException("hotkey " + hotkey.ss58Address() + " (wallet " + p.walletName()
                            + "/" + p.walletHotkey() + ") is not registered on netuid " + p.netuid() + " of " + endpoint
                            + ": register it (btcli subnet register) before mining, or run with --offline"));
            return "hotkey " + hotkey.ss58Address() + " is uid " + uid + " on netuid " + p.netuid();
        } catch (ChainException e) {
            throw new StageException("cannot check the hotkey's registration on " + endpoint + ": " + e.getMessage(), e);
        }
    }
}
