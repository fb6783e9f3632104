package sn37.miner.chain.commitment;

/**
 * One uid of a subnet's metagraph. {@code incentive} is the u16 share normalised to [0, 1] (bittensor's
 * {@code metagraph.I}); {@code stake} is in TAO, see {@link Metagraph#neurons}.
 */
public record Neuron(int uid, String hotkey, double incentive, boolean validatorPermit, double stake) {}
