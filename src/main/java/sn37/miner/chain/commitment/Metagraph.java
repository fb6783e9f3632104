package sn37.miner.chain.commitment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import sn37.miner.chain.BlockRef;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.chain.SubtensorStorage;

/**
 * A subnet's uids read from {@code SubtensorModule} storage at one block: hotkeys ({@code Keys}, {@code Uids}),
 * incentive, validator permits and stake. Batched reads ({@code state_queryStorageAt}) keep it to a few requests
 * where bittensor 9 syncs a whole metagraph per lookup.
 */
public final class Metagraph {
    /** finetuning {@code ft.graph.best_uid}: the first of the 5 uids with the most incentive that has a model. */
    public static final int BEST_UID_CANDIDATES = 5;
    /** bittensor {@code settings.ROOT_TAO_STAKE_WEIGHT}: root TAO counts 0.18 in a subnet's stake. */
    static final double ROOT_TAO_STAKE_WEIGHT = 0.18;
    private static final double RAO_PER_TAO = 1e9;
    private static final int ROOT_NETUID = 0;

    private final SubtensorClient chain;

    public Metagraph(SubtensorClient chain) {
        this.chain = chain;
    }

    public Optional<Integer> uidOf(int netuid, byte[] hotkey, BlockRef at) {
        return chain.read(SubtensorStorage.UIDS, at, CommitWindow.u16(netuid), hotkey);
    }

    public int size(int netuid, BlockRef at) {
        return chain.read(SubtensorStorage.SUBNETWORK_N, at, CommitWindow.u16(netuid)).orElseThrow();
    }

    public Optional<byte[]> hotkeyOf(int netuid, int uid, BlockRef at) {
        if (uid < 0 || uid >= size(netuid, at)) {
            return Optional.empty();
        }
        return chain.read(SubtensorStorage.KEYS, at, CommitWindow.u16(netuid), CommitWindow.u16(uid));
    }

    /**
     * Every uid of {@code netuid}. Stake is {@code TotalHotkeyAlpha(hotkey, netuid) + 0.18 × TotalHotkeyAlpha(hotkey, 0)}
     * in TAO, as bittensor's {@code metagraph.S}, without the stake a hotkey inherits from parent keys.
     */
    public List<Neuron> neurons(int netuid, BlockRef at) {
        int n = size(netuid, at);
        byte[] net = CommitWindow.u16(netuid);
        List<byte[]> hotkeys = chain.readAll(SubtensorStorage.KEYS, at,
                IntStream.range(0, n).mapToObj(uid -> new byte[][] {net, CommitWindow.u16(uid)}).toList())
                .stream().map(Optional::orElseThrow).toList();
        List<Integer> incentive = chain.read(SubtensorStorage.INCENTIVE, at, net).orElseThrow();
        List<Boolean> permit = chain.read(SubtensorStorage.VALIDATOR_PERMIT, at, net).orElseThrow();
        List<byte[][]> stakeKeys = new ArrayList<>();
        for (byte[] hotkey : hotkeys) {
            stakeKeys.add(new byte[][] {hotkey, net});
            stakeKeys.add(new byte[][] {hotkey, CommitWindow.u16(ROOT_NETUID)});
        }
        List<Long> stakes = chain.readAll(SubtensorStorage.TOTAL_HOTKEY_ALPHA, at, stakeKeys)
                .stream().map(Optional::orElseThrow).toList();
        List<Neuron> out = new ArrayList<>(n);
        for (int uid = 0; uid < n; uid++) {
            double stake = (stakes.get(2 * uid) + ROOT_TAO_STAKE_WEIGHT * stakes.get(2 * uid + 1)) / RAO_PER_TAO;
            out.add(new Neuron(uid, Ss58.encode(hotkeys.get(uid)),
                    uid < incentive.size() ? incentive.get(uid) / 65535.0 : 0.0,
                    uid < permit.size() && permit.get(uid), stake));
        }
        return out;
    }

    /** Uids with a validator permit and at least {@code minStake} TAO: the SN1 validators whose data is trusted. */
    public List<Neuron> validators(int netuid, double minStake, BlockRef at) {
        return neurons(netuid, at).stream().filter(v -> v.validatorPermit() && v.stake() >= minStake).toList();
    }

    /**
     * The model to start from for {@code --load_best}: of the {@value #BEST_UID_CANDIDATES} uids with the most
     * incentive on {@code netuid} (ties by lower uid), the first whose committed metadata names {@code competitionId}.
     */
    public Optional<MinerModel> bestModel(int netuid, int competitionId, CommitmentClient commitments, BlockRef at) {
        List<Neuron> top = neurons(netuid, at).stream()
                .sorted(Comparator.comparingDouble(Neuron::incentive).reversed().thenComparingInt(Neuron::uid))
                .limit(BEST_UID_CANDIDATES)
                .toList();
        for (Neuron candidate : top) {
            Optional<MinerModel> model = commitments.modelOf(netuid, candidate.uid(), Ss58.decode(candidate.hotkey()), at);
            if (model.isPresent() && model.get().modelId().competitionId() == competitionId) {
                return model;
            }
        }
        return Optional.empty();
    }

    /** {@code --load_uid}: the uid's hotkey and its committed model, if it has one that parses. */
    public Optional<MinerModel> modelOfUid(int netuid, int uid, CommitmentClient commitments, BlockRef at) {
        return hotkeyOf(netuid, uid, at).flatMap(hotkey -> commitments.modelOf(netuid, uid, hotkey, at));
    }
}
