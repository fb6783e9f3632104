package sn37.miner.fake;

import java.util.Arrays;
import java.util.List;
import sn37.miner.chain.Era;
import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.ScaleReader;

/**
 * A signed v4 extrinsic as the fake node decodes it, independently of the client's encoder: length prefix,
 * {@code 0x84}, {@code MultiAddress::Id}, {@code MultiSignature::Sr25519}, then the extra of each signed
 * extension in the runtime's order, then the call. {@code extra} keeps the exact bytes, which the signature covers.
 */
record FakeSubtensorExtrinsic(byte[] encoded, byte[] signer, byte[] signature, Era era, long nonce, long tip,
        byte[] extra, byte[] call) {

    /** Why the pool refuses an extrinsic: the JSON-RPC error it answers with. */
    static final class Refused extends Exception {
        final int code;

        Refused(int code, String message) {
            super(message);
            this.code = code;
        }

        /** Chopsticks' shape, as recorded in chopsticks-e2e.json: code 1010, the TransactionValidityError as JSON. */
        static Refused invalid(String kind) {
            return new Refused(1010, "{\"invalid\":{\"" + kind + "\":null}}");
        }
    }

    static FakeSubtensorExtrinsic decode(byte[] encoded, List<String> extensions) throws Refused {
        ScaleReader in = new ScaleReader(encoded);
        try {
            int length = in.compactInt("extrinsic length");
            if (length != in.remaining()) {
                throw new Refused(1002, "Verification Error: extrinsic length prefix " + length + " but " + in.remaining()
                        + " bytes follow");
            }
            int version = in.u8();
            if (version != 0x84) {
                throw new Refused(1002, "Verification Error: only signed v4 extrinsics (0x84) are accepted here, got 0x"
                        + Integer.toHexString(version));
            }
            if (in.u8() != 0x00) {
                throw new Refused(1002, "Verification Error: address must be MultiAddress::Id (0x00)");
            }
            byte[] signer = in.bytes(32);
            if (in.u8() != 0x01) {
                throw Refused.invalid("badProof");
            }
            byte[] signature = in.bytes(64);
            int extraStart = in.position();
            Era era = Era.immortal();
            long nonce = -1;
            long tip = 0;
            for (String id : extensions) {
                switch (id) {
                    case "CheckMortality", "CheckEra" -> era = Era.decode(in);
                    case "CheckNonce" -> nonce = in.compactLong();
                    case "ChargeTransactionPayment" -> tip = in.compactLong();
                    case "CheckMetadataHash" -> {
                        int mode = in.u8();
                        if (mode != 0) {
                            throw new Refused(1002, "Verification Error: CheckMetadataHash mode " + mode
                                    + " is not supported by this node");
                        }
                    }
                    default -> { }
                }
            }
            byte[] extra = Arrays.copyOfRange(encoded, extraStart, in.position());
            byte[] call = in.bytes(in.remaining());
            return new FakeSubtensorExtrinsic(encoded, signer, signature, era, nonce, tip, extra, call);
        } catch (ScaleException e) {
            throw new Refused(1002, "Verification Error: cannot decode extrinsic: " + e.getMessage());
        }
    }
}
