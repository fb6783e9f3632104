package sn37.miner.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SN1 multiple-choice samples split into a held-out evaluation split and a training split, disjoint by
 * {@link #contentHash(McSample)}, so the gate never scores a question the model trained on.
 *
 * <p>The rule: the evaluation split takes {@code min(validatorSamples, distinct / 2)} distinct questions, where
 * {@code validatorSamples} is how many a validator scores from that source (400 from W&B as of Oct 2024, 700 from
 * the HF dataset at finetuning HEAD) and {@code distinct} counts distinct question hashes; half at most, so a small
 * sample still leaves at least as many questions to train on. Which questions are held out is decided by ranking
 * each distinct hash by SHA-256 of {@code seed NUL hash}: one seed and the same rows give the same split whatever
 * their order. Every row whose question is not held out trains (in load order, repeats kept as the source gave
 * them); a repeat of a held-out question is dropped, counted in {@link #repeatsDropped()}.
 */
public record McSplit(List<McSample> eval, List<McSample> train, int repeatsDropped) {

    /** Samples a validator scored from W&B: {@code --latest_prompting_samples} 400 (Oct 2024). */
    public static final int WANDB_VALIDATOR_SAMPLES = 400;

    /** Samples a validator scores from the HF dataset: finetuning HEAD takes 700. */
    public static final int HF_VALIDATOR_SAMPLES = 700;

    public McSplit {
        eval = List.copyOf(eval);
        train = List.copyOf(train);
    }

    /** The evaluation split's size for {@code distinct} distinct questions (see the class comment). */
    public static int evalSize(int validatorSamples, int distinct) {
        if (validatorSamples < 1) throw new IllegalArgumentException("validator samples must be >= 1");
        return Math.min(validatorSamples, distinct / 2);
    }

    public static McSplit of(List<McSample> samples, long seed, int validatorSamples) {
        Map<String, String> rankByHash = new LinkedHashMap<>();
        for (McSample s : samples) {
            rankByHash.computeIfAbsent(contentHash(s), h -> rank(seed, h));
        }
        int size = evalSize(validatorSamples, rankByHash.size());
        Set<String> heldOut = new HashSet<>();
        rankByHash.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.naturalOrder())).limit(size)
                .forEach(e -> heldOut.add(e.getKey()));
        List<McSample> eval = new ArrayList<>();
        List<McSample> train = new ArrayList<>();
        Set<String> emitted = new HashSet<>();
        int repeats = 0;
        for (McSample s : samples) {
            String h = contentHash(s);
            if (!heldOut.contains(h)) {
                train.add(s);
            } else if (emitted.add(h)) {
                eval.add(s);
            } else {
                repeats++;
            }
        }
        return new McSplit(eval, train, repeats);
    }

    /**
     * Lower-case hex SHA-256 of the challenge in UTF-8: the question as the model is shown it. The reference is
     * left out on purpose, so one question with two answers still lands on one side.
     */
    public static String contentHash(McSample s) {
        return HexFormat.of().formatHex(Utf8Lines.sha256().digest(s.challenge().getBytes(StandardCharsets.UTF_8)));
    }

    private static String rank(long seed, String hash) {
        MessageDigest digest = Utf8Lines.sha256();
        digest.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(hash.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }
}
