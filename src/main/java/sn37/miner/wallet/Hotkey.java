package sn37.miner.wallet;

import java.nio.file.Path;
import sn37.miner.chain.crypto.Sr25519Keypair;

/**
 * A wallet's hotkey: the sr25519 key that signs the miner's commitments. {@link #toString()} shows only the
 * public address; the secret stays inside {@link Sr25519Keypair}.
 */
public final class Hotkey {
    private final String walletName;
    private final String hotkeyName;
    private final Path file;
    private final Sr25519Keypair keypair;
    private final String ss58Address;

    Hotkey(String walletName, String hotkeyName, Path file, Sr25519Keypair keypair, String ss58Address) {
        this.walletName = walletName;
        this.hotkeyName = hotkeyName;
        this.file = file;
        this.keypair = keypair;
        this.ss58Address = ss58Address;
    }

    public String ss58Address() {
        return ss58Address;
    }

    public byte[] publicKey() {
        return keypair.publicKey();
    }

    public Sr25519Keypair keypair() {
        return keypair;
    }

    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "Hotkey[" + walletName + "/" + hotkeyName + ", " + ss58Address + "]";
    }
}
