package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.fake.FakeWandbKeys;

/** SN1 run authenticity as bittensor's Keypair.verify checks it: sr25519 over the run id, hotkey on the list. */
class ValidatorCheckTest {
    private static final Sr25519Keypair KEY = FakeWandbKeys.key(1);
    private static final String HOTKEY = FakeWandbKeys.hotkey(1);

    private static String sign(byte[] message) {
        return HexFormat.of().formatHex(KEY.sign(message));
    }

    @Test
    void acceptsTheHotkeysSignatureOverTheRunId() {
        String sig = sign("abcd1234".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), ValidatorCheck.of(List.of(HOTKEY), false).runProblem("abcd1234", HOTKEY, sig));
    }

    @Test
    void acceptsThePolkadotJsBytesWrappedSignatureAsSubstrateInterfaceDoes() {
        assertTrue(ValidatorCheck.verifies(HOTKEY, "run1", sign("<Bytes>run1</Bytes>".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void rejectsASignatureOverAnotherRunId() {
        String sig = sign("other".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of(ValidatorCheck.BAD_SIGNATURE),
                ValidatorCheck.of(List.of(HOTKEY), false).runProblem("abcd1234", HOTKEY, sig));
    }

    @Test
    void malformedSignaturesFailVerificationInsteadOfThrowing() {
        assertFalse(ValidatorCheck.verifies(HOTKEY, "r", "zz"));
        assertFalse(ValidatorCheck.verifies(HOTKEY, "r", "00".repeat(32)));
        assertFalse(ValidatorCheck.verifies("not-an-address", "r", "00".repeat(64)));
    }

    @Test
    void aHotkeyOffTheListIsNotAValidatorEvenWithAGoodSignature() {
        String sig = sign("r".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of(ValidatorCheck.NOT_VALIDATOR),
                ValidatorCheck.of(List.of(FakeWandbKeys.hotkey(2)), false).runProblem("r", HOTKEY, sig));
    }

    @Test
    void unverifiedModeSkipsTheSignatureButKeepsAGivenList() {
        ValidatorCheck open = ValidatorCheck.of(List.of(), true);
        assertEquals(Optional.empty(), open.runProblem("r", null, null));
        ValidatorCheck listed = ValidatorCheck.of(List.of(HOTKEY), true);
        assertEquals(Optional.empty(), listed.runProblem("r", HOTKEY, null));
        assertEquals(Optional.of(ValidatorCheck.NOT_VALIDATOR), listed.runProblem("r", FakeWandbKeys.hotkey(2), null));
    }

    @Test
    void anAllowListEntryThatIsNotAnAddressIsRejectedByName() {
        DataSourceException e = assertThrows(DataSourceException.class,
                () -> ValidatorCheck.of(List.of(HOTKEY, "5Fnope"), false));
        assertTrue(e.getMessage().contains("'5Fnope'"), e.getMessage());
    }
}
