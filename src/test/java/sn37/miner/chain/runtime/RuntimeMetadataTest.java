package sn37.miner.chain.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sn37.miner.chain.ChainFixtures;
import sn37.miner.chain.scale.Hex;

class RuntimeMetadataTest {
    private static final List<String> SPEC_343_EXTENSIONS = List.of("CheckNonZeroSender", "CheckSpecVersion",
            "CheckTxVersion", "CheckGenesis", "CheckMortality", "CheckNonce", "CheckWeight", "ChargeTransactionPayment",
            "SubtensorTransactionExtension", "DrandPriority", "CheckMetadataHash");
    private static final List<String> SPEC_218_EXTENSIONS = List.of("CheckNonZeroSender", "CheckSpecVersion",
            "CheckTxVersion", "CheckGenesis", "CheckMortality", "CheckNonce", "CheckWeight", "ChargeTransactionPayment",
            "SubtensorSignedExtension", "CommitmentsSignedExtension", "CheckMetadataHash");

    @ParameterizedTest
    @ValueSource(strings = {ChainFixtures.FINNEY_V14, ChainFixtures.FINNEY_V15, ChainFixtures.RAONET_V14})
    void commitmentsPalletAndSetCommitmentCallResolveByName(String file) {
        RuntimeMetadata metadata = ChainFixtures.metadata(file);
        assertEquals(new CallIndex(18, 0), metadata.callIndex("Commitments", "set_commitment"));
        assertEquals(18, metadata.pallet("Commitments").index());
        assertEquals(7, metadata.pallet("SubtensorModule").index());
        assertEquals(0, metadata.pallet("System").index());
        assertEquals(4, metadata.extrinsicVersion());
        List<String> arguments = metadata.call("Commitments", "set_commitment").fields().stream()
                .map(TypeDef.Field::name).toList();
        assertEquals(List.of("netuid", "info"), arguments);
    }

    @ParameterizedTest
    @ValueSource(strings = {ChainFixtures.FINNEY_V14, ChainFixtures.FINNEY_V15, ChainFixtures.RAONET_V14})
    void commitmentOfIsAnOptionalMapHashedByIdentityAndTwox64Concat(String file) {
        RuntimeMetadata metadata = ChainFixtures.metadata(file);
        StorageEntry entry = metadata.storageEntry("Commitments", "CommitmentOf");
        assertEquals(List.of(StorageHasher.IDENTITY, StorageHasher.TWOX_64_CONCAT), entry.hashers());
        assertEquals(StorageEntry.Modifier.OPTIONAL, entry.modifier());
        assertEquals("Commitments", entry.prefix());
        assertEquals("(u16,[u8;32])", metadata.types().describe(entry.keyType()));
        assertEquals("{deposit: u64, block: u32, info: Vec<Data>}", metadata.types().describe(entry.valueType()));
        assertEquals(List.of(StorageHasher.IDENTITY, StorageHasher.BLAKE2_128_CONCAT),
                metadata.storageEntry("SubtensorModule", "Uids").hashers());
        assertEquals(List.of(StorageHasher.IDENTITY, StorageHasher.IDENTITY),
                metadata.storageEntry("SubtensorModule", "Keys").hashers());
        assertEquals(List.of(StorageHasher.BLAKE2_128_CONCAT), metadata.storageEntry("System", "Account").hashers());
    }

    @Test
    void signedExtensionListsAreThoseTheReadmeGives() {
        assertEquals(SPEC_343_EXTENSIONS, ChainFixtures.metadata(ChainFixtures.FINNEY_V14).signedExtensionIdentifiers());
        assertEquals(SPEC_343_EXTENSIONS, ChainFixtures.metadata(ChainFixtures.FINNEY_V15).signedExtensionIdentifiers());
        assertEquals(SPEC_218_EXTENSIONS, ChainFixtures.metadata(ChainFixtures.RAONET_V14).signedExtensionIdentifiers());
    }

    @Test
    void maxFieldsIsThreeAtSpec343AndOneAtSpec218() {
        assertEquals("0x03000000", Hex.encode(ChainFixtures.metadata(ChainFixtures.FINNEY_V14).constant("Commitments", "MaxFields")));
        assertEquals("0x03000000", Hex.encode(ChainFixtures.metadata(ChainFixtures.FINNEY_V15).constant("Commitments", "MaxFields")));
        assertEquals("0x01000000", Hex.encode(ChainFixtures.metadata(ChainFixtures.RAONET_V14).constant("Commitments", "MaxFields")));
    }

    @Test
    void versionsAreReportedAsDecoded() {
        assertEquals(14, ChainFixtures.metadata(ChainFixtures.FINNEY_V14).version());
        assertEquals(15, ChainFixtures.metadata(ChainFixtures.FINNEY_V15).version());
        assertEquals(14, ChainFixtures.metadata(ChainFixtures.RAONET_V14).version());
    }

    @Test
    void missingNamesAreErrorsThatListWhatExists() {
        RuntimeMetadata metadata = ChainFixtures.metadata(ChainFixtures.FINNEY_V14);
        MetadataException pallet = assertThrows(MetadataException.class, () -> metadata.pallet("Commitment"));
        assertTrue(pallet.getMessage().startsWith("pallet Commitment is not in the runtime; it has System, "),
                pallet.getMessage());
        MetadataException call = assertThrows(MetadataException.class,
                () -> metadata.callIndex("Commitments", "commit"));
        assertEquals("call Commitments.commit is not in the runtime; the pallet has set_commitment, set_max_space",
                call.getMessage());
        MetadataException storage = assertThrows(MetadataException.class,
                () -> metadata.storageEntry("Commitments", "Commitment"));
        assertTrue(storage.getMessage().startsWith("storage item Commitments.Commitment is not in the runtime; "
                + "the pallet has "), storage.getMessage());
    }

    @Test
    void wrongMagicAndUnsupportedVersionAreRefused() {
        MetadataException magic = assertThrows(MetadataException.class,
                () -> RuntimeMetadata.decode(Hex.decode("0x6e6574610e00")));
        assertEquals("metadata starts with 0x6e657461; expected the magic \"meta\" (0x6d657461)", magic.getMessage());
        MetadataException version = assertThrows(MetadataException.class,
                () -> RuntimeMetadata.decode(Hex.decode("0x6d6574610d00")));
        assertEquals("metadata version 13 is not supported; expected 14 or 15", version.getMessage());
    }

    @Test
    void truncatedMetadataSaysWhereItEnds() {
        byte[] bytes = ChainFixtures.metadataBytes(ChainFixtures.RAONET_V14);
        MetadataException e = assertThrows(MetadataException.class,
                () -> RuntimeMetadata.decode(Arrays.copyOf(bytes, bytes.length - 3)));
        assertTrue(e.getMessage().startsWith("runtime metadata is malformed: truncated SCALE input: reading "),
                e.getMessage());
    }

    @Test
    void metadataAtVersionNoneMeansTheRuntimeLacksIt() {
        MetadataException e = assertThrows(MetadataException.class,
                () -> RuntimeMetadata.decodeMetadataAtVersion(new byte[] {0}));
        assertEquals("Metadata_metadata_at_version returned None: the runtime does not offer the requested version",
                e.getMessage());
    }

    @Test
    void v15AndV14OfTheSameRuntimeAgreeOnWhatTheClientUses() {
        RuntimeMetadata v14 = ChainFixtures.metadata(ChainFixtures.FINNEY_V14);
        RuntimeMetadata v15 = ChainFixtures.metadata(ChainFixtures.FINNEY_V15);
        assertEquals(v14.pallets().stream().map(p -> p.name() + "=" + p.index()).toList(),
                v15.pallets().stream().map(p -> p.name() + "=" + p.index()).toList());
        for (String item : List.of("CommitmentOf", "LastCommitment", "UsedSpaceOf", "MaxSpace")) {
            StorageEntry a = v14.storageEntry("Commitments", item);
            StorageEntry b = v15.storageEntry("Commitments", item);
            assertEquals(a.hashers(), b.hashers(), item);
            assertEquals(v14.types().describe(a.valueType()), v15.types().describe(b.valueType()), item);
            assertArrayEquals(a.defaultValue(), b.defaultValue(), item);
        }
    }
}
