package sn37.miner.chain.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.ChainFixtures;
import sn37.miner.chain.StorageKey;
import sn37.miner.chain.scale.Hex;
import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.ScaleReader;
import sn37.miner.chain.scale.VariantSkipper;

class TypeRegistryTest {
    private final RuntimeMetadata metadata = ChainFixtures.metadata(ChainFixtures.FINNEY_V14);
    private final TypeRegistry types = metadata.types();

    @Test
    void signedExtensionTypesDescribeTheirEncodedShape() {
        List<String> shapes = metadata.signedExtensions().stream()
                .map(e -> e.identifier() + ":" + types.describe(e.extraType()) + "/" + types.describe(e.additionalType()))
                .toList();
        assertEquals(List.of("CheckNonZeroSender:()/()", "CheckSpecVersion:()/u32", "CheckTxVersion:()/u32",
                "CheckGenesis:()/[u8;32]", "CheckMortality:Era/[u8;32]", "CheckNonce:Compact<u32>/()",
                "CheckWeight:()/()", "ChargeTransactionPayment:Compact<u64>/()", "SubtensorTransactionExtension:()/()",
                "DrandPriority:()/()", "CheckMetadataHash:Mode/Option<[u8;32]>"), shapes);
    }

    @Test
    void dataEnumOfSpec343HasRaw0ToRaw128AndTheNewVariants() {
        TypeDef.Variant data = (TypeDef.Variant) types.byPath("pallet_commitments::types::Data").orElseThrow().def();
        assertEquals(137, data.variants().size());
        assertEquals("Raw128", data.byIndex(129).orElseThrow().name());
        assertEquals("BigRaw", data.byIndex(136).orElseThrow().name());
        TypeDef.Variant old = (TypeDef.Variant) ChainFixtures.metadata(ChainFixtures.RAONET_V14).types()
                .byPath("pallet_commitments::types::Data").orElseThrow().def();
        assertEquals(134, old.variants().size());
    }

    @Test
    void genericSkipConsumesTheDefaultAccountInfo() {
        StorageEntry account = metadata.storageEntry("System", "Account");
        ScaleReader reader = new ScaleReader(account.defaultValue());
        types.skip(reader, account.valueType());
        reader.expectEnd("AccountInfo default");
    }

    @Test
    void genericSkipConsumesTheSystemEventsTheRealRuntimeEmitted() {
        RuntimeMetadata raonet = ChainFixtures.metadata(ChainFixtures.RAONET_V14);
        StorageEntry events = raonet.storageEntry("System", "Events");
        String key = Hex.encode(StorageKey.prefix("System", "Events"));
        int checked = 0;
        for (JsonNode frame : ChainFixtures.chopsticks().get("rpc_frames")) {
            JsonNode body = frame.get("frame");
            if (body.path("method").asText().equals("state_getStorage") && body.get("params").get(0).asText().equals(key)) {
                int id = body.get("id").asInt();
                for (JsonNode reply : ChainFixtures.chopsticks().get("rpc_frames")) {
                    if (reply.get("dir").asText().equals("recv") && reply.get("frame").path("id").asInt(-1) == id) {
                        ScaleReader reader = new ScaleReader(ChainFixtures.hex(reply.get("frame").get("result")));
                        raonet.types().skip(reader, events.valueType());
                        reader.expectEnd("System.Events of request " + id);
                        checked++;
                    }
                }
            }
        }
        assertEquals(2, checked);
    }

    @Test
    void unknownVariantIndexIsAnErrorNamingTheType() {
        int era = metadata.signedExtensions().get(4).extraType();
        int dataType = types.byPath("pallet_commitments::types::Data").orElseThrow().id();
        ScaleException e = assertThrows(ScaleException.class,
                () -> types.skip(new ScaleReader(Hex.decode("0x89")), dataType));
        assertEquals("variant index 137 at offset 0 is not a variant of Data", e.getMessage());
        assertEquals("Era", types.describe(era));
    }

    @Test
    void variantSkipperKnowsOnlyTheRuntimesVariants() {
        int dataType = types.byPath("pallet_commitments::types::Data").orElseThrow().id();
        VariantSkipper skipper = types.variantSkipper(dataType);
        ScaleReader reader = new ScaleReader(Hex.decode("0x0c616263" + "0500000000000000"));
        assertTrue(skipper.skipFields(134, reader));
        assertTrue(reader.atEnd());
        assertFalse(skipper.skipFields(137, new ScaleReader(new byte[0])));
        MetadataException e = assertThrows(MetadataException.class, () -> types.variantSkipper(
                metadata.storageEntry("Commitments", "CommitmentOf").valueType()));
        assertTrue(e.getMessage().endsWith("is not an enum"), e.getMessage());
    }

    @Test
    void unknownTypeIdIsAnError() {
        MetadataException e = assertThrows(MetadataException.class, () -> types.get(1_000_000));
        assertEquals("type id 1000000 is not in the registry (552 types)", e.getMessage());
    }
}
