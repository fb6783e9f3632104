package sn37.miner.stage;

import sn37.miner.chain.ChainException;
import sn37.miner.chain.ChainSettings;
import sn37.miner.chain.SubtensorClient;

/** The chain's current block for a run, on the network its --subtensor flags name. */
final class ChainBlocks {
    private ChainBlocks() {}

    static long current(StageServices services, RunParams p) {
        if (p.offline()) {
            throw new StageException("an --offline run does not read the chain: give --current_block for --gate beat-best");
        }
        String endpoint = services.endpoints().subtensor(p.subtensorNetwork(), p.subtensorChainEndpoint());
        try (SubtensorClient chain = SubtensorClient.connect(endpoint, ChainSettings.defaults())) {
            return chain.bestBlock().number();
        } catch (ChainException e) {
            throw new StageException("cannot read the current block from " + endpoint + ": " + e.getMessage(), e);
        }
    }
}
