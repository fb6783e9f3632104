package sn37.miner.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.chain.ChainFixtures;
import sn37.miner.chain.crypto.Sr25519;

/**
 * Hotkey files in btcli's layout and JSON shape. The key vectors (vectors.json, polkadot.js keyring) give the
 * public key and address Substrate derives from each 32-byte seed, the derivation btwallet uses
 * ({@code sr25519::Pair::from_seed_slice}).
 */
class WalletTest {
    private static final JsonNode KEY = ChainFixtures.key("test-hotkey-1");
    private static final JsonNode ALICE = ChainFixtures.key("alice");
    private static final String SEED = KEY.get("mini_secret_seed").asText();

    @TempDir
    Path wallets;

    @Test
    void loadsTheHotkeyBtcliWroteAndSignsWithIt() throws Exception {
        write("miner", "hk1", keyfile(SEED, KEY.get("public_key").asText(), KEY.get("ss58_prefix_42").asText()), "rw-------");

        Hotkey hotkey = Wallet.load(wallets, "miner", "hk1");

        assertEquals(KEY.get("ss58_prefix_42").asText(), hotkey.ss58Address());
        assertEquals(KEY.get("public_key").asText(), sn37.miner.chain.scale.Hex.encode(hotkey.publicKey()));
        byte[] message = "sn37".getBytes(StandardCharsets.UTF_8);
        assertTrue(Sr25519.verify(hotkey.publicKey(), message, hotkey.keypair().sign(message)));
        assertEquals("Hotkey[miner/hk1, " + KEY.get("ss58_prefix_42").asText() + "]", hotkey.toString());
    }

    @Test
    void acceptsAFileWithTheSeedAlone() throws Exception {
        write("miner", "bare", "{\"secretSeed\": \"" + SEED + "\"}", "rw-------");
        assertEquals(KEY.get("ss58_prefix_42").asText(), Wallet.load(wallets, "miner", "bare").ss58Address());
    }

    @Test
    void refusesAKeyFileEveryUserCanRead() throws Exception {
        Path file = write("miner", "open", keyfile(SEED, KEY.get("public_key").asText(), KEY.get("ss58_prefix_42").asText()),
                "rw-r--r--");
        WalletException e = assertThrows(WalletException.class, () -> Wallet.load(wallets, "miner", "open"));
        assertEquals("hotkey file " + file + " is readable by every user of this machine (mode rw-r--r--): restrict it"
                + " with `chmod 600 " + file + "` and consider the key exposed if others could log in", e.getMessage());
    }

    @Test
    void reportsMalformedJsonByPositionWithoutQuotingTheFile() throws Exception {
        write("miner", "broken", "{\"secretSeed\": \"" + SEED + "\", \"publicKey\": 0x" + SEED.substring(2, 20) + "}",
                "rw-------");
        WalletException e = assertThrows(WalletException.class, () -> Wallet.load(wallets, "miner", "broken"));
        assertTrue(e.getMessage().contains("is not valid JSON (line 1, column "), e.getMessage());
        assertSecretFree(e);
    }

    @Test
    void refusesAPublicKeyThatTheSeedDoesNotGive() throws Exception {
        write("miner", "mixed", keyfile(SEED, ALICE.get("public_key").asText(), null), "rw-------");
        WalletException e = assertThrows(WalletException.class, () -> Wallet.load(wallets, "miner", "mixed"));
        assertTrue(e.getMessage().contains("its publicKey does not match the key its secretSeed gives ("
                + KEY.get("ss58_prefix_42").asText() + ")"), e.getMessage());
        assertFalse(e.getMessage().contains(ALICE.get("public_key").asText().substring(2)), "the file's value in: "
                + e.getMessage());
        assertSecretFree(e);
    }

    @Test
    void refusesAnAddressThatTheSeedDoesNotGive() throws Exception {
        write("miner", "addr", keyfile(SEED, null, ALICE.get("ss58_prefix_42").asText()), "rw-------");
        WalletException e = assertThrows(WalletException.class, () -> Wallet.load(wallets, "miner", "addr"));
        assertTrue(e.getMessage().contains("its ss58Address does not match"), e.getMessage());
        assertFalse(e.getMessage().contains(ALICE.get("ss58_prefix_42").asText()), "the file's value in: "
                + e.getMessage());
        assertSecretFree(e);
    }

    @Test
    void saysAnEncryptedKeyFileIsEncrypted() throws Exception {
        write("miner", "locked", "$NACL" + "x".repeat(60), "rw-------");
        WalletException e = assertThrows(WalletException.class, () -> Wallet.load(wallets, "miner", "locked"));
        assertTrue(e.getMessage().contains("is encrypted (NaCl)"), e.getMessage());
        write("miner", "fernet", "gAAAAABk" + "x".repeat(60), "rw-------");
        assertTrue(assertThrows(WalletException.class, () -> Wallet.load(wallets, "miner", "fernet")).getMessage()
                .contains("is encrypted (legacy Fernet)"));
    }

    @Test
    void refusesAFileWithoutSecretSeedOrWithAMalformedOne() throws Exception {
        write("miner", "public", "{\"ss58Address\": \"" + KEY.get("ss58_prefix_42").asText() + "\"}", "rw-------");
        assertTrue(assertThrows(WalletException.class, () -> Wallet.load(wallets, "miner", "public")).getMessage()
                .contains("has no secretSeed"));
        write("miner", "short", "{\"secretSeed\": \"" + SEED.substring(0, 40) + "\"}", "rw-------");
        WalletException e = assertThrows(WalletException.class, () -> Wallet.load(wallets, "miner", "short"));
        assertTrue(e.getMessage().endsWith("secretSeed must be 0x followed by 64 hex digits"), e.getMessage());
        assertSecretFree(e);
    }

    @Test
    void namesTheMissingFileAndHowToCreateIt() {
        WalletException e = assertThrows(WalletException.class, () -> Wallet.load(wallets, "nowallet", "nokey"));
        assertTrue(e.getMessage().startsWith("no hotkey file at " + wallets.resolve("nowallet/hotkeys/nokey")), e.getMessage());
        assertTrue(e.getMessage().contains("btcli wallet new_hotkey --wallet.name nowallet --wallet.hotkey nokey"));
    }

    @Test
    void defaultsToTheBittensorWalletsDir() {
        assertEquals(Path.of(System.getProperty("user.home"), ".bittensor", "wallets"), Wallet.defaultWalletsDir());
    }

    private void assertSecretFree(Exception e) {
        String hex = SEED.substring(2).toLowerCase();
        assertFalse(e.getMessage().toLowerCase().contains(hex.substring(0, 16)), e.getMessage());
        assertFalse(String.valueOf(e.getCause()).toLowerCase().contains(hex.substring(0, 16)));
    }

    /** btwallet serialized_keypair_to_keyfile_data: accountId, publicKey, privateKey, secretSeed, ss58Address. */
    private static String keyfile(String seed, String publicKey, String ss58) {
        StringBuilder json = new StringBuilder("{");
        if (publicKey != null) {
            json.append("\"accountId\": \"").append(publicKey).append("\", \"publicKey\": \"").append(publicKey).append("\", ");
        }
        json.append("\"privateKey\": \"0x").append("ab".repeat(64)).append("\", \"secretSeed\": \"").append(seed).append('"');
        if (ss58 != null) {
            json.append(", \"ss58Address\": \"").append(ss58).append('"');
        }
        return json.append('}').toString();
    }

    private Path write(String wallet, String hotkey, String content, String mode) throws Exception {
        Path file = wallets.resolve(wallet).resolve("hotkeys").resolve(hotkey);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }
}
