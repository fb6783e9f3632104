package sn37.miner.wallet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.io.InputFileException;
import sn37.miner.io.InputFiles;

/**
 * Bittensor wallet files: the hotkey at {@code <wallets>/<wallet name>/hotkeys/<hotkey name>}, JSON with
 * {@code secretSeed}, {@code publicKey}, {@code accountId} and {@code ss58Address} as btcli writes it
 * (opentensor/btwallet {@code src/keyfile.rs serialized_keypair_to_keyfile_data}). The key is derived from
 * {@code secretSeed}, a 32-byte mini secret, as {@code sr25519::Pair::from_seed_slice} does (schnorrkel
 * {@code ExpansionMode::Ed25519}); every public field present must agree with it. The coldkey is never read.
 */
public final class Wallet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_KEYFILE_BYTES = 64 * 1024;
    /** btwallet {@code keyfile_data_is_encrypted_*}: how encrypted key files begin. */
    private static final String[][] ENCRYPTED = {{"$NACL", "NaCl"}, {"$ANSIBLE_VAULT", "Ansible Vault"}, {"gAAAAA", "legacy Fernet"}};

    private Wallet() {}

    /** {@code ~/.bittensor/wallets}, bittensor's default {@code --wallet.path}. */
    public static Path defaultWalletsDir() {
        return Path.of(System.getProperty("user.home"), ".bittensor", "wallets");
    }

    /**
     * Loads the hotkey that {@code --wallet.path}, {@code --wallet.name} and {@code --wallet.hotkey} name: the one way
     * every stage reads it. A null path is {@link #defaultWalletsDir()}; a leading {@code ~} is the home dir.
     */
    public static Hotkey fromFlags(String walletPath, String walletName, String hotkeyName) {
        return load(walletPath == null ? null : Path.of(walletPath), walletName, hotkeyName);
    }

    /** Loads the hotkey; {@code walletsDir} null means {@link #defaultWalletsDir()}, and a leading {@code ~} is the home dir. */
    public static Hotkey load(Path walletsDir, String walletName, String hotkeyName) {
        Path dir = walletsDir == null ? defaultWalletsDir() : expandHome(walletsDir);
        Path file = dir.resolve(walletName).resolve("hotkeys").resolve(hotkeyName);
        byte[] content = read(file, walletName, hotkeyName);
        try {
            return parse(file, walletName, hotkeyName, content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static byte[] read(Path file, String walletName, String hotkeyName) {
        if (!Files.isRegularFile(file)) {
            throw new WalletException("no hotkey file at " + file + ": create it with `btcli wallet new_hotkey --wallet.name "
                    + walletName + " --wallet.hotkey " + hotkeyName + "`, or set --wallet.path, --wallet.name and"
                    + " --wallet.hotkey to an existing one");
        }
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                    throw new WalletException("hotkey file " + file + " is readable by every user of this machine (mode "
                            + PosixFilePermissions.toString(perms) + "): restrict it with `chmod 600 " + file + "` and"
                            + " consider the key exposed if others could log in");
                }
            }
            if (Files.size(file) > MAX_KEYFILE_BYTES) {
                throw new WalletException("hotkey file " + file + " is " + Files.size(file) + " bytes; a Bittensor key file"
                        + " is a few hundred: check --wallet.path, --wallet.name and --wallet.hotkey");
            }
            return InputFiles.readAll(file, MAX_KEYFILE_BYTES, "hotkey file");
        } catch (InputFileException e) {
            throw new WalletException(e.getMessage() + ": check --wallet.path, --wallet.name and --wallet.hotkey");
        } catch (IOException e) {
            throw new WalletException("cannot read hotkey file " + file + ": " + e.getClass().getSimpleName()
                    + "; check its permissions", e);
        }
    }

    private static Hotkey parse(Path file, String walletName, String hotkeyName, byte[] content) {
        String head = new String(content, 0, Math.min(content.length, 16), StandardCharsets.US_ASCII);
        for (String[] marker : ENCRYPTED) {
            if (head.startsWith(marker[0])) {
                throw new WalletException("hotkey file " + file + " is encrypted (" + marker[1] + "); this miner signs with"
                        + " an unencrypted hotkey, as `btcli wallet new_hotkey` writes by default: regenerate the hotkey"
                        + " without a password (`btcli wallet regen_hotkey`)");
            }
        }
        JsonNode json;
        try {
            json = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending text, which may be key material.
            JsonLocation at = e.getLocation();
            throw new WalletException("hotkey file " + file + " is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ": restore it from a backup"
                    + " or regenerate the hotkey with `btcli wallet regen_hotkey`");
        } catch (IOException e) {
            throw new WalletException("cannot read hotkey file " + file + ": " + e.getClass().getSimpleName(), e);
        }
        if (json == null || !json.isObject()) {
            throw new WalletException("hotkey file " + file + " holds no JSON object: regenerate the hotkey with"
                    + " `btcli wallet regen_hotkey`");
        }
        byte[] seed = hex32(file, json, "secretSeed", true);
        Sr25519Keypair keypair;
        try {
            keypair = Sr25519Keypair.fromMiniSecret(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        byte[] derived = keypair.publicKey();
        String ss58 = Ss58.encode(derived);
        for (String field : new String[] {"publicKey", "accountId"}) {
            byte[] declared = hex32(file, json, field, false);
            if (declared != null && !MessageDigest.isEqual(declared, derived)) {
                throw mismatch(file, field, ss58);
            }
        }
        JsonNode address = json.get("ss58Address");
        if (address != null && !address.isNull() && !address.asText().equals(ss58)) {
            throw mismatch(file, "ss58Address", ss58);
        }
        return new Hotkey(walletName, hotkeyName, file, keypair, ss58);
    }

    /** The declared value is the file's text and is not repeated; the derived address is computed, not read. */
    private static WalletException mismatch(Path file, String field, String derived) {
        return new WalletException("hotkey file " + file + ": its " + field + " does not match the key its secretSeed"
                + " gives (" + derived + "): the file is damaged or was edited; restore it from a backup or regenerate"
                + " the hotkey");
    }

    /** A {@code 0x}-prefixed 32-byte hex field; null when optional and absent. The value never enters a message. */
    private static byte[] hex32(Path file, JsonNode json, String field, boolean required) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new WalletException("hotkey file " + file + " has no " + field + ": this miner derives the hotkey from"
                        + " it; regenerate the hotkey with `btcli wallet regen_hotkey`");
            }
            return null;
        }
        String text = node.isTextual() ? node.asText() : "";
        if (!text.matches("0x[0-9a-fA-F]{64}")) {
            throw new WalletException("hotkey file " + file + ": " + field + " must be 0x followed by 64 hex digits");
        }
        return HexFormat.of().parseHex(text.substring(2));
    }

    private static Path expandHome(Path p) {
        String s = p.toString();
        if (s.equals("~") || s.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + s.substring(1));
        }
        return p;
    }
}
