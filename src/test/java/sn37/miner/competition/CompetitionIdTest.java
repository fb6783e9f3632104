package sn37.miner.competition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CompetitionIdTest {

    @Test
    void fromIdMapsChainIds() {
        assertEquals(CompetitionId.NONE, CompetitionId.fromId(0));
        assertEquals(CompetitionId.B7_MULTI_CHOICE, CompetitionId.fromId(2));
        assertEquals(CompetitionId.DISTILLED_REASONING_3B, CompetitionId.fromId(4));
        assertEquals(3, CompetitionId.INSTRUCT_8B.id());
    }

    @Test
    void fromIdNamesTheAllowedIdsForAnUnknownId() {
        var ex = assertThrows(IllegalArgumentException.class, () -> CompetitionId.fromId(7));
        assertEquals(
                "unknown competition id 7: expected one of 0 (NONE), 1 (SN9_MODEL),"
                        + " 2 (B7_MULTI_CHOICE), 3 (INSTRUCT_8B), 4 (DISTILLED_REASONING_3B)",
                ex.getMessage());
    }
}
