package sn37.miner.data;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.crypto.Sr25519;

/**
 * Whether SN1 data comes from an SN1 validator, as the finetuning loaders check it: the hotkey must be one of the
 * validators' (finetuning takes them from the SN1 metagraph, stake above a threshold; here an allow-list until the
 * chain metagraph is available), and a W&B run's {@code SIGNATURE} must be the hotkey's sr25519 signature of the run
 * id ({@code bt.Keypair(ss58_address=hotkey).verify(run.id, bytes.fromhex(signature))}).
 *
 * <p>Verification is mandatory unless {@code allow_unverified_data} is set; then the signature is not checked, and
 * the hotkey only when an allow-list is given.
 */
public final class ValidatorCheck {
    static final String NOT_VALIDATOR = "hotkey not an SN1 validator";
    static final String NO_HOTKEY = "no HOTKEY_SS58 in the run config";
    static final String NO_SIGNATURE = "no SIGNATURE in the run config";
    static final String BAD_SIGNATURE = "SIGNATURE does not verify for the run id";

    private static final byte[] WRAP_OPEN = "<Bytes>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WRAP_CLOSE = "</Bytes>".getBytes(StandardCharsets.US_ASCII);

    private final Set<String> hotkeys;
    private final boolean unverifiedAllowed;

    private ValidatorCheck(Set<String> hotkeys, boolean unverifiedAllowed) {
        this.hotkeys = hotkeys;
        this.unverifiedAllowed = unverifiedAllowed;
    }

    /**
     * @param hotkeys SS58 hotkeys of SN1 validators (the allow-list)
     * @param unverifiedAllowed {@code allow_unverified_data}: skip the signature check, and the hotkey check too
     *     when {@code hotkeys} is empty
     * @throws DataSourceException naming a hotkey that is not a valid SS58 address
     */
    public static ValidatorCheck of(Collection<String> hotkeys, boolean unverifiedAllowed) {
        TreeSet<String> set = new TreeSet<>();
        for (String h : hotkeys) {
            String hotkey = h.strip();
            try {
                Ss58.decode(hotkey);
            } catch (IllegalArgumentException e) {
                throw new DataSourceException("SN1 validator allow-list entry '" + hotkey + "' is not an SS58 hotkey ("
                        + e.getMessage() + "); fix miner.data.sn1-validators");
            }
            set.add(hotkey);
        }
        return new ValidatorCheck(Collections.unmodifiableSortedSet(set), unverifiedAllowed);
    }

    /**
     * Fails before any connection when nothing could be verified.
     *
     * @throws DataSourceException when the allow-list is empty and unverified data is not allowed
     */
    public void requireUsable(String source) {
        if (hotkeys.isEmpty() && !unverifiedAllowed) {
            throw new DataSourceException("cannot verify " + source + " data: no SN1 validator hotkeys are configured."
                    + " Set miner.data.sn1-validators to the SS58 hotkeys of SN1 validators, or pass"
                    + " --allow_unverified_data to use the data without checking who produced it");
        }
    }

    /** Sorted; empty means no hotkey restriction (only possible with unverified data allowed). */
    public Set<String> hotkeys() {
        return hotkeys;
    }

    public boolean verifiesSignatures() {
        return !unverifiedAllowed;
    }

    public boolean acceptsHotkey(String hotkey) {
        return hotkeys.isEmpty() ? unverifiedAllowed : hotkey != null && hotkeys.contains(hotkey);
    }

    /** Why a run must be skipped, or empty when its hotkey and signature pass. */
    Optional<String> runProblem(String runId, String hotkey, String signatureHex) {
        if (!hotkeys.isEmpty() || !unverifiedAllowed) {
            if (hotkey == null) {
                return Optional.of(NO_HOTKEY);
            }
            if (!acceptsHotkey(hotkey)) {
                return Optional.of(NOT_VALIDATOR);
            }
        }
        if (unverifiedAllowed) {
            return Optional.empty();
        }
        if (signatureHex == null || signatureHex.isBlank()) {
            return Optional.of(NO_SIGNATURE);
        }
        return verifies(hotkey, runId, signatureHex) ? Optional.empty() : Optional.of(BAD_SIGNATURE);
    }

    /**
     * substrate-interface {@code Keypair.verify}: the plain message, then the polkadot-js {@code <Bytes>...</Bytes>}
     * wrapping of it. Malformed hex, a wrong length or a bad key is a failed verification.
     */
    static boolean verifies(String hotkey, String runId, String signatureHex) {
        byte[] publicKey;
        byte[] signature;
        try {
            publicKey = Ss58.decode(hotkey);
            signature = HexFormat.of().parseHex(signatureHex.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (signature.length != Sr25519.SIGNATURE_BYTES) {
            return false;
        }
        byte[] message = runId.getBytes(StandardCharsets.UTF_8);
        if (Sr25519.verify(publicKey, message, signature)) {
            return true;
        }
        byte[] wrapped = new byte[WRAP_OPEN.length + message.length + WRAP_CLOSE.length];
        System.arraycopy(WRAP_OPEN, 0, wrapped, 0, WRAP_OPEN.length);
        System.arraycopy(message, 0, wrapped, WRAP_OPEN.length, message.length);
        System.arraycopy(WRAP_CLOSE, 0, wrapped, WRAP_OPEN.length + message.length, WRAP_CLOSE.length);
        return Sr25519.verify(publicKey, wrapped, signature);
    }
}
