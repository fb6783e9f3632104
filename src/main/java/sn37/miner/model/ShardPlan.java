package sn37.miner.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a state dict is split over weight files, exactly as huggingface_hub's
 * {@code split_state_dict_into_shards_factory} ({@code serialization/_base.py}, called by
 * transformers' {@code save_pretrained} through {@code split_torch_state_dict_into_shards})
 * splits it: tensors are taken in state-dict order and added to the open shard until the next
 * one would take it past the limit, which closes it; a tensor larger than the limit alone
 * becomes a shard of its own, placed immediately and without closing the open shard, so it can
 * come before tensors that precede it. One shard is {@code model.safetensors}; more are
 * {@code model-00001-of-0000n.safetensors}. Sizes count tensor bytes only, not headers.
 *
 * @param shards in file-number order
 * @param totalSize sum of all tensor byte lengths, the index's {@code metadata.total_size}
 */
public record ShardPlan(List<Shard> shards, long totalSize) {

    /** transformers 4.44.1's default {@code max_shard_size="5GB"}, decimal as parsed by {@link #parseSize}. */
    public static final long DEFAULT_MAX_SHARD_SIZE = 5_000_000_000L;
    public static final String SINGLE_FILE = "model.safetensors";

    /** One weight file and the tensors in it, in state-dict order. */
    public record Shard(String fileName, List<TensorData> tensors) {
        public Shard {
            tensors = List.copyOf(tensors);
        }
    }

    public ShardPlan {
        shards = List.copyOf(shards);
    }

    public static ShardPlan split(List<? extends TensorData> stateDict, long maxShardSize) {
        if (stateDict.isEmpty()) {
            throw new IllegalArgumentException("the state dict is empty: nothing to save");
        }
        if (maxShardSize <= 0) {
            throw new IllegalArgumentException("max shard size must be positive, got " + maxShardSize);
        }
        Set<String> names = new HashSet<>();
        List<List<TensorData>> groups = new ArrayList<>();
        List<TensorData> open = new ArrayList<>();
        long openSize = 0;
        long total = 0;
        for (TensorData tensor : stateDict) {
            if (!names.add(tensor.name())) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' appears twice in the state dict");
            }
            long size = tensor.byteLength();
            total += size;
            if (size > maxShardSize) {
                groups.add(List.of(tensor));
                continue;
            }
            if (openSize + size > maxShardSize) {
                groups.add(open);
                open = new ArrayList<>();
                openSize = 0;
            }
            open.add(tensor);
            openSize += size;
        }
        if (!open.isEmpty()) {
            groups.add(open);
        }
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            String fileName = groups.size() == 1 ? SINGLE_FILE
                    : String.format("model-%05d-of-%05d.safetensors", i + 1, groups.size());
            shards.add(new Shard(fileName, groups.get(i)));
        }
        return new ShardPlan(shards, total);
    }

    public boolean sharded() {
        return shards.size() > 1;
    }

    /** Tensor name to file name, sorted by name as the index file lists it. */
    public Map<String, String> weightMap() {
        Map<String, String> map = new TreeMap<>(CodePointOrder.INSTANCE);
        for (Shard shard : shards) {
            for (TensorData tensor : shard.tensors()) {
                map.put(tensor.name(), shard.fileName());
            }
        }
        return map;
    }

    /** Tensor name to file name, in state-dict order within file order. */
    public Map<String, String> placement() {
        Map<String, String> map = new LinkedHashMap<>();
        for (Shard shard : shards) {
            for (TensorData tensor : shard.tensors()) {
                map.put(tensor.name(), shard.fileName());
            }
        }
        return map;
    }

    /**
     * huggingface_hub's {@code parse_size_to_int}: a number followed by KB, MB, GB or TB (any
     * case), in powers of ten, truncated to whole bytes: "5GB" is 5,000,000,000 bytes, not 5 GiB.
     */
    public static long parseSize(String size) {
        String text = size.strip();
        if (text.length() < 2) {
            throw new IllegalArgumentException("size '" + size + "' needs a unit: KB, MB, GB or TB");
        }
        long multiplier = switch (text.substring(text.length() - 2).toUpperCase(Locale.ROOT)) {
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException("unit of size '" + size
                    + "' is not supported; expected KB, MB, GB or TB");
        };
        double value;
        try {
            value = Double.parseDouble(text.substring(0, text.length() - 2).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("could not read the number in size '" + size + "'", e);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("size '" + size + "' is not a finite number");
        }
        return (long) (value * multiplier);
    }
}
