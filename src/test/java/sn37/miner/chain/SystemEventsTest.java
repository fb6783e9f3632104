package sn37.miner.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.runtime.RuntimeMetadata;

/** System.Events of the two blocks chopsticks recorded (spec 218), decoded with that runtime's metadata. */
class SystemEventsTest {
    private static final RuntimeMetadata SPEC_218 = ChainFixtures.metadata(ChainFixtures.RAONET_V14);

    @Test
    void decodesTheRecordedSuccessfulCommitBlock() {
        List<SystemEvents.Event> events = SystemEvents.decode(recordedEvents(12), SPEC_218);
        assertEquals(List.of("System.ExtrinsicSuccess", "Commitments.Commitment", "TransactionPayment.TransactionFeePaid",
                "System.ExtrinsicSuccess"), events.stream().map(e -> e.pallet() + "." + e.name()).toList());
        assertEquals(List.of(0, 1, 1, 1), events.stream().map(e -> e.extrinsicIndex().getAsInt()).toList());
        assertEquals(Optional.empty(), SystemEvents.outcome(events, 1));
    }

    @Test
    void namesTheRateLimitErrorOfTheRecordedSecondCommit() {
        List<SystemEvents.Event> events = SystemEvents.decode(recordedEvents(19), SPEC_218);
        DispatchFailure failure = SystemEvents.outcome(events, 1).orElseThrow();
        JsonNode expected = ChainFixtures.chopsticks().at("/second_commit_same_epoch/events/2/module_error");
        assertEquals(new DispatchFailure("Commitments", expected.get("name").asText()), failure);
        assertTrue(failure.isModuleError("Commitments", "CommitmentSetRateLimitExceeded"));
        assertEquals(Optional.empty(), SystemEvents.outcome(events, 0));
    }

    @Test
    void failsClearlyWhenNoOutcomeEventNamesTheExtrinsic() {
        List<SystemEvents.Event> events = SystemEvents.decode(recordedEvents(12), SPEC_218);
        ChainException e = assertThrows(ChainException.class, () -> SystemEvents.outcome(events, 2));
        assertTrue(e.getMessage().contains("extrinsic 2"), e.getMessage());
    }

    @Test
    void refusesTruncatedEventsWithAMessage() {
        byte[] events = recordedEvents(19);
        byte[] truncated = java.util.Arrays.copyOf(events, events.length - 5);
        ChainException e = assertThrows(ChainException.class, () -> SystemEvents.decode(truncated, SPEC_218));
        assertTrue(e.getMessage().startsWith("cannot decode System.Events"), e.getMessage());
    }

    private static byte[] recordedEvents(int frameId) {
        for (JsonNode f : ChainFixtures.chopsticks().get("rpc_frames")) {
            if (f.get("dir").asText().equals("recv") && f.at("/frame/id").asInt(-1) == frameId) {
                return ChainFixtures.hex(f.at("/frame/result"));
            }
        }
        throw new IllegalArgumentException("no frame " + frameId);
    }
}
