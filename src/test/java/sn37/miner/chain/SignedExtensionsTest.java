package sn37.miner.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.SignedExtensions.UnsupportedExtensionException;
import sn37.miner.chain.scale.Hex;

class SignedExtensionsTest {
    private static final byte[] GENESIS = Hex.decode("0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03");

    @Test
    void everyFixtureRuntimeHasExtensionsThisClientEncodes() {
        for (String file : List.of(ChainFixtures.FINNEY_V14, ChainFixtures.FINNEY_V15, ChainFixtures.RAONET_V14)) {
            SignedExtensions extensions = SignedExtensions.fromMetadata(ChainFixtures.metadata(file));
            assertEquals(ChainFixtures.metadata(file).signedExtensionIdentifiers(), extensions.identifiers(), file);
        }
    }

    @Test
    void unknownExtensionIsRefusedByName() {
        List<String> identifiers = new ArrayList<>(ChainFixtures.metadata(ChainFixtures.FINNEY_V14).signedExtensionIdentifiers());
        identifiers.add(9, "ChargeAssetTxPayment");
        UnsupportedExtensionException e = assertThrows(UnsupportedExtensionException.class,
                () -> SignedExtensions.check(identifiers));
        assertTrue(e.getMessage().startsWith("the runtime requires signed extension 'ChargeAssetTxPayment', which this "
                + "client cannot encode; known: CheckNonZeroSender, "), e.getMessage());
    }

    @Test
    void customSubtensorExtensionsAddNoBytesWhateverTheirName() {
        TransactionParams params = TransactionParams.immortal(343, 1, GENESIS, 5);
        SignedExtensions finney = SignedExtensions.fromMetadata(ChainFixtures.metadata(ChainFixtures.FINNEY_V14));
        SignedExtensions raonet = SignedExtensions.fromMetadata(ChainFixtures.metadata(ChainFixtures.RAONET_V14));
        assertEquals(Hex.encode(finney.extra(params)), Hex.encode(raonet.extra(params)));
        assertEquals(Hex.encode(finney.additional(params)), Hex.encode(raonet.additional(params)));
        assertEquals("0x00140000", Hex.encode(finney.extra(params)));
    }

    @Test
    void orderOfTheRuntimeListDecidesTheByteOrder() {
        TransactionParams params = new TransactionParams(1, 2, GENESIS, Era.immortal(), GENESIS, 3, 4);
        SignedExtensions reordered = SignedExtensions.check(List.of("CheckMetadataHash", "ChargeTransactionPayment",
                "CheckNonce", "CheckTxVersion", "CheckSpecVersion"));
        assertEquals("0x00100c", Hex.encode(reordered.extra(params)));
        assertEquals("0x000200000001000000", Hex.encode(reordered.additional(params)));
    }
}
