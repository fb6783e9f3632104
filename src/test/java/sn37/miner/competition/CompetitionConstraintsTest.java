package sn37.miner.competition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompetitionConstraintsTest {

    @Test
    void aCompetitionOnlyTheLaterScheduleRunsHasItsConstraints() {
        assertEquals(ModelConstraints.DISTILLED_REASONING_3B,
                CompetitionConstraints.of(CompetitionId.DISTILLED_REASONING_3B.id()));
        assertEquals(ModelConstraints.INSTRUCT_8B, CompetitionConstraints.of(CompetitionId.INSTRUCT_8B.id()));
    }

    @Test
    void theOctober2024CompetitionKeepsItsOctober2024Constraints() {
        assertEquals(ModelConstraints.B7_OCT_2024, CompetitionConstraints.of(CompetitionId.B7_MULTI_CHOICE.id()));
    }

    @Test
    void anIdNoScheduleRunsIsRefusedByName() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CompetitionConstraints.of(99));
        assertTrue(unknown.getMessage().startsWith("unknown competition id 99"), unknown.getMessage());
    }
}
