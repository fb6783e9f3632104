package sn37.miner.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.runtime.CallIndex;
import sn37.miner.chain.scale.Hex;

class SetCommitmentTest {
    private final JsonNode calls = ChainFixtures.vectors().get("calls");

    @Test
    void callBytesMatchEverySingleFieldVector() {
        for (JsonNode v : calls.get("set_commitment")) {
            String data = v.get("data_utf8").asText();
            assertEquals(v.get("data_len").asInt(), data.getBytes(StandardCharsets.UTF_8).length);
            assertEquals(v.get("call_hex").asText(), Hex.encode(SetCommitment.call(18, 0, v.get("netuid").asInt(), data)),
                    v.get("data_variant").asText());
        }
    }

    @Test
    void callIndexFromMetadataGivesTheSameBytes() {
        CallIndex index = ChainFixtures.metadata(ChainFixtures.FINNEY_V14).callIndex("Commitments", "set_commitment");
        JsonNode v = calls.get("set_commitment").get(0);
        assertEquals(v.get("call_hex").asText(), Hex.encode(SetCommitment.call(index, 37, v.get("data_utf8").asText())));
    }

    @Test
    void multiFieldCallMatchesTheVector() throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest("abc".getBytes(StandardCharsets.US_ASCII));
        CommitmentInfo info = CommitmentInfo.of(Data.raw("abc"), new Data.Hashed(Data.HashKind.SHA_256, sha), new Data.None());
        assertEquals(calls.get("set_commitment_multi_field").get("call_hex").asText(),
                Hex.encode(SetCommitment.call(new CallIndex(18, 0), 37, info)));
    }

    @Test
    void metadataLongerThan128BytesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SetCommitment.call(18, 0, 37, "x".repeat(129)));
        assertTrue(e.getMessage().startsWith("Raw commitment data is 129 bytes; at most 128 fit"), e.getMessage());
    }

    @Test
    void netuidOutsideU16IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SetCommitment.call(18, 0, 65536, "a"));
    }

    @Test
    void commitmentStringVectorIsTheModelIdLayout() {
        JsonNode commitment = calls.get("commitment_string");
        String value = commitment.get("value").asText();
        String[] tokens = value.split(":");
        assertEquals(5, tokens.length);
        assertEquals(commitment.get("hf_commit").asText(), tokens[2]);
        assertEquals(commitment.get("secure_hash").asText(), tokens[3]);
        assertEquals(commitment.get("hotkey_ss58").asText(),
                Ss58.encode(ChainFixtures.hex(ChainFixtures.key("test-hotkey-1").get("public_key"))));
    }
}
