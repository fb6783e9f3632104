package sn37.miner.chain;

import java.time.Duration;
import java.util.SplittableRandom;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.chain.rpc.RpcSettings;

/** Keys and client settings shared by the chain tests. */
public final class ChainTestKit {
    /** chopsticks-e2e.json's metadata string, committed by the test hotkey in the recorded run. */
    public static final String RECORDED_METADATA =
            "alice:my-7b:4d2b1a0c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b:SxoJYSI5vJoZA9IzwMunOz+UiaRmYU5FlI75LLSxPYs=:2";

    private ChainTestKit() {}

    /** vectors.json test-hotkey-1, the signer of the recorded chopsticks run. */
    public static Sr25519Keypair testHotkey() {
        return Sr25519Keypair.fromMiniSecret(ChainFixtures.hex(ChainFixtures.key("test-hotkey-1").get("mini_secret_seed")));
    }

    public static Sr25519Keypair key(long seed) {
        byte[] mini = new byte[32];
        new SplittableRandom(seed).nextBytes(mini);
        return Sr25519Keypair.fromMiniSecret(mini);
    }

    /** A model metadata string of competition 2 whose commit is derived from {@code n}. */
    public static String metadata(String name, int n) {
        return "sn37:" + name + ":" + String.format("%040x", n) + ":SxoJYSI5vJoZA9IzwMunOz+UiaRmYU5FlI75LLSxPYs=:2";
    }

    /**
     * Loopback settings: 100 ms blocks so the waits sized in blocks stay short, 5 blocks of finality budget,
     * quick reconnects.
     */
    public static ChainSettings fast() {
        return new ChainSettings(new RpcSettings(Duration.ofSeconds(10), Duration.ofSeconds(5), 3, Duration.ofMillis(20),
                Duration.ofMillis(100), Duration.ofSeconds(30)), 32, 5, Duration.ofMillis(100));
    }
}
