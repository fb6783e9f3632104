package sn37.miner.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.runtime.StorageEntry;
import sn37.miner.chain.scale.Hex;
import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.ScaleReader;

class RegistrationTest {
    private final JsonNode registrations = ChainFixtures.vectors().get("registrations");

    @Test
    void everyRegistrationVectorDecodesAndReencodes() {
        for (JsonNode v : registrations) {
            byte[] encoded = ChainFixtures.hex(v.get("encoded_hex"));
            Registration registration = Registration.decode(encoded);
            assertEquals(v.get("deposit").asLong(), registration.deposit());
            assertEquals(v.get("block").asLong(), registration.block());
            JsonNode fields = v.get("fields");
            assertEquals(fields.size(), registration.info().fields().size());
            for (int i = 0; i < fields.size(); i++) {
                assertField(fields.get(i), registration.info().fields().get(i));
            }
            assertArrayEquals(encoded, registration.encode(), v.get("source").asText());
        }
    }

    @Test
    void turbobtVectorIsRaw4AtBlock289() {
        Registration registration = Registration.decode(Hex.decode("0x000000000000000021010000040500010203"));
        assertEquals(new Registration(0, 289, CommitmentInfo.of(new Data.Raw(new byte[] {0, 1, 2, 3}))), registration);
    }

    @Test
    void valueStoredByTheRealRuntimeGivesBackTheCommittedString() {
        JsonNode commit = ChainFixtures.chopsticks().get("first_commit");
        Registration registration = Registration.decode(ChainFixtures.hex(commit.get("commitment_of_value")));
        assertEquals(3, registration.block());
        assertEquals(Optional.of(commit.get("decoded").get("fields").get(0).get("utf8").asText()),
                registration.firstRawText());
    }

    @Test
    void truncatedValueNamesRegistrationAndTheOffset() {
        ScaleException e = assertThrows(ScaleException.class,
                () -> Registration.decode(Hex.decode("0x00000000000000002101000004050001")));
        assertEquals("cannot decode Registration (CommitmentOf value): truncated SCALE input: reading byte array "
                + "at offset 14 needs 4 bytes but only 2 remain (input is 16 bytes)", e.getMessage());
    }

    @Test
    void unknownDataTagWithoutMetadataIsAClearError() {
        ScaleException e = assertThrows(ScaleException.class,
                () -> Registration.decode(Hex.decode("0x00000000000000000500000004890000")));
        assertTrue(e.getMessage().endsWith("commitment Data tag 137 at offset 13 is unknown (known: 0..136) and no "
                + "runtime metadata was given to size it"), e.getMessage());
    }

    @Test
    void dataTagUnknownToTheRuntimeTooIsAClearError() {
        RuntimeMetadata metadata = ChainFixtures.metadata(ChainFixtures.FINNEY_V14);
        int dataType = metadata.types().byPath("pallet_commitments::types::Data").orElseThrow().id();
        ScaleException e = assertThrows(ScaleException.class, () -> Registration.decode(
                Hex.decode("0x00000000000000000500000004890000"), metadata.types().variantSkipper(dataType)));
        assertTrue(e.getMessage().endsWith("tag 137 at offset 13 is unknown (known: 0..136) and the runtime's Data "
                + "type has no such variant either"), e.getMessage());
    }

    @Test
    void unknownDataTagSizedByASkipperIsKeptAsUnknown() {
        byte[] encoded = Hex.decode("0x000000000000000005000000088900aa01");
        Registration registration = Registration.decode(encoded, (index, reader) -> {
            if (index != 137) {
                return false;
            }
            reader.skip(2);
            return true;
        });
        assertEquals(List.of(new Data.Unknown(137, new byte[] {0, (byte) 0xAA}), new Data.Raw(new byte[0])),
                registration.info().fields());
        assertArrayEquals(encoded, registration.encode());
    }

    @Test
    void runtimeDataTypeSizesEveryVectorExactly() {
        RuntimeMetadata metadata = ChainFixtures.metadata(ChainFixtures.FINNEY_V14);
        StorageEntry commitmentOf = metadata.storageEntry("Commitments", "CommitmentOf");
        int dataType = metadata.types().byPath("pallet_commitments::types::Data").orElseThrow().id();
        for (JsonNode v : registrations) {
            byte[] encoded = ChainFixtures.hex(v.get("encoded_hex"));
            ScaleReader reader = new ScaleReader(encoded);
            metadata.types().skip(reader, commitmentOf.valueType());
            reader.expectEnd("generic skip of " + v.get("source").asText());
            assertEquals(Registration.decode(encoded),
                    Registration.decode(encoded, metadata.types().variantSkipper(dataType)));
        }
    }

    @Test
    void extraTrailingBytesAreRefused() {
        ScaleException e = assertThrows(ScaleException.class,
                () -> Registration.decode(Hex.decode("0x00000000000000000500000000ff")));
        assertTrue(e.getMessage().contains("Registration: 1 unread bytes after offset 13"), e.getMessage());
    }

    private static void assertField(JsonNode expected, Data actual) {
        int index = expected.get("variant_index").asInt();
        assertEquals(index, actual.index(), expected.get("variant").asText());
        if (actual instanceof Data.Raw raw) {
            assertEquals(expected.get("bytes_hex").asText(), Hex.encode(raw.bytes()));
        } else if (actual instanceof Data.Hashed hashed) {
            assertEquals(expected.get("value").asText(), Hex.encode(hashed.digest()));
        } else if (actual instanceof Data.BigRaw big) {
            assertEquals(expected.get("value").asText(), Hex.encode(big.bytes()));
        } else {
            assertInstanceOf(Data.None.class, actual);
        }
    }
}
