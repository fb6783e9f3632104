package sn37.miner.fake;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.crypto.Sr25519Keypair;

/** Test validator keys: sr25519 key pairs from fixed 32-byte mini secrets, and SN1-shaped challenge texts. */
public final class FakeWandbKeys {
    private FakeWandbKeys() {}

    private static final Map<Integer, Sr25519Keypair> KEYS = new ConcurrentHashMap<>();

    /** The key pair whose mini secret is 32 bytes of {@code n}. */
    public static Sr25519Keypair key(int n) {
        return KEYS.computeIfAbsent(n, k -> {
            byte[] seed = new byte[32];
            Arrays.fill(seed, (byte) (int) k);
            return Sr25519Keypair.fromMiniSecret(seed);
        });
    }

    public static String hotkey(int n) {
        return Ss58.encode(key(n).publicKey());
    }

    /** An SN1 multiple-choice challenge (prompting @96b312d2 format) for question {@code n}. */
    public static String challenge(String question) {
        return "[Example 1]\nWhat is the capital of Texas?\nA. Paris\nB. London\nC. Austin\nD. Houston\nAnswer: C\n\n"
                + "[Input Question]\n" + question + "\n\nA. one\nB. two\nC. three\nD. four\nAnswer: ";
    }
}
