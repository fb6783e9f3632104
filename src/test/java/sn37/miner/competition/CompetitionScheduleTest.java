package sn37.miner.competition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

class CompetitionScheduleTest {

    private static final CompetitionSchedule OCT = CompetitionSchedule.oct2024();
    private static final CompetitionSchedule LATER = CompetitionSchedule.later();

    private static Map<String, Double> weightsAt(
            CompetitionSchedule schedule, CompetitionId id, long block) {
        return schedule.find(id, block).orElseThrow().tasks().stream()
                .collect(Collectors.toMap(EvalTask::name, EvalTask::weight));
    }

    private static List<CompetitionId> idsAt(CompetitionSchedule schedule, long block) {
        return schedule.competitionsAt(block).stream().map(Competition::id).toList();
    }

    @Test
    void b7IsTheOnlyCompetitionInOct2024() {
        for (CompetitionSchedule.Entry e : OCT.entries()) {
            assertEquals(1, e.competitions().size());
            Competition b7 = e.competitions().get(0);
            assertEquals(CompetitionId.B7_MULTI_CHOICE, b7.id());
            assertEquals(1.0, b7.rewardPercentage());
        }
        assertEquals(List.of(CompetitionId.B7_MULTI_CHOICE), idsAt(OCT, 4_000_000));
        assertTrue(OCT.find(CompetitionId.INSTRUCT_8B, 4_000_000).isEmpty());
    }

    @Test
    void oct2024B7IsMultipleChoiceOnlyBeforeWordSorting() {
        assertEquals(
                Map.of("SYNTHETIC_MMLU", 1.0), weightsAt(OCT, CompetitionId.B7_MULTI_CHOICE, 0));
    }

    @Test
    void wordSortingJoinsExactlyAtBlock4139465() {
        var b7 = CompetitionId.B7_MULTI_CHOICE;
        assertEquals(Map.of("SYNTHETIC_MMLU", 1.0), weightsAt(OCT, b7, 4_139_464));
        assertEquals(
                Map.of("SYNTHETIC_MMLU", 0.975, "WORD_SORTING", 0.025),
                weightsAt(OCT, b7, 4_139_465));
    }

    @Test
    void finewebJoinsExactlyAtBlock4250808WithInverseExponentialCeilings() {
        var b7 = CompetitionId.B7_MULTI_CHOICE;
        assertEquals(
                Map.of("SYNTHETIC_MMLU", 0.975, "WORD_SORTING", 0.025),
                weightsAt(OCT, b7, 4_250_807));
        assertEquals(
                Map.of("SYNTHETIC_MMLU", 0.90, "WORD_SORTING", 0.05, "FINEWEB", 0.05),
                weightsAt(OCT, b7, 4_250_808));
        Map<String, EvalTask> tasks =
                OCT.find(b7, 4_250_808).orElseThrow().tasks().stream()
                        .collect(Collectors.toMap(EvalTask::name, t -> t));
        assertEquals(40.0, tasks.get("WORD_SORTING").ceiling());
        assertEquals(20.0, tasks.get("FINEWEB").ceiling());
        assertEquals(EvalTask.Normalization.NONE, tasks.get("SYNTHETIC_MMLU").normalization());
    }

    @Test
    void oct2024B7WaitsTwelveHundredBlocksAndHeadB7FourHundredSixty() {
        long oct =
                OCT.find(CompetitionId.B7_MULTI_CHOICE, 0)
                        .orElseThrow()
                        .constraints()
                        .evalBlockDelay();
        long head =
                LATER.find(CompetitionId.B7_MULTI_CHOICE, 0)
                        .orElseThrow()
                        .constraints()
                        .evalBlockDelay();
        assertEquals(1_200, oct);
        assertEquals(460, head);
    }

    @Test
    void laterSplitsB7AndInstructUntilB7Sunset() {
        assertEquals(
                List.of(CompetitionId.B7_MULTI_CHOICE, CompetitionId.INSTRUCT_8B),
                idsAt(LATER, 4_675_162));
        assertEquals(
                0.75,
                LATER.find(CompetitionId.B7_MULTI_CHOICE, 0).orElseThrow().rewardPercentage());
        assertEquals(
                0.25, LATER.find(CompetitionId.INSTRUCT_8B, 0).orElseThrow().rewardPercentage());
        assertEquals(List.of(CompetitionId.INSTRUCT_8B), idsAt(LATER, 4_675_163));
        assertEquals(
                Map.of(
                        "SYNTHETIC_MMLU",
                        0.30,
                        "WORD_SORTING",
                        0.05,
                        "FINEWEB",
                        0.35,
                        "IF_EVAL_V2",
                        0.30),
                weightsAt(LATER, CompetitionId.INSTRUCT_8B, 4_675_163));
    }

    @Test
    void distilledReasoningReplacesInstructAtBlock5158632() {
        assertEquals(List.of(CompetitionId.INSTRUCT_8B), idsAt(LATER, 5_158_631));
        assertEquals(List.of(CompetitionId.DISTILLED_REASONING_3B), idsAt(LATER, 5_158_632));
        Competition reasoning = LATER.competitionsAt(6_000_000).get(0);
        assertEquals(1.0, reasoning.rewardPercentage());
        assertEquals(
                Map.of("SYNTHETIC_1_SFT", 0.5, "CODEFORCES_COTS", 0.5),
                weightsAt(LATER, CompetitionId.DISTILLED_REASONING_3B, 5_158_632));
        assertTrue(
                reasoning.tasks().stream()
                        .allMatch(t -> t.normalization() == EvalTask.Normalization.NONE));
    }

    @Test
    void competitionConstraintsDifferPerEra() {
        ModelConstraints instruct = ModelConstraints.INSTRUCT_8B;
        assertNull(instruct.tokenizer());
        assertTrue(instruct.allowsArchitecture("Gemma2ForCausalLM"));
        assertTrue(instruct.allowsArchitecture("Phi3ForCausalLM"));
        assertTrue(instruct.allowsParams(8_100_000_000L));
        assertEquals(20L * 1024 * 1024 * 1024, instruct.maxBytes());

        ModelConstraints reasoning = ModelConstraints.DISTILLED_REASONING_3B;
        assertTrue(reasoning.allowsParams(3_300_000_000L));
        assertTrue(
                !reasoning.allowsParams(3_199_999_999L) && !reasoning.allowsParams(3_400_000_001L));
        assertEquals(16_384, reasoning.sequenceLength());
        assertEquals(21_600, reasoning.epsilon().decayBlocks());

        ModelConstraints b7 = ModelConstraints.B7_OCT_2024;
        assertTrue(!b7.allowsArchitecture("Gemma2ForCausalLM"));
        assertTrue(!b7.allowsParams(6_900_000_001L));
        assertEquals("Xenova/gpt-4", b7.tokenizer());
        assertEquals(15L * 1024 * 1024 * 1024, b7.maxBytes());
    }

    @Test
    void everyEntrysTaskWeightsAndRewardsSumToOne() {
        for (CompetitionSchedule s : List.of(OCT, LATER)) {
            for (CompetitionSchedule.Entry e : s.entries()) {
                double rewards = 0;
                for (Competition c : e.competitions()) {
                    rewards += c.rewardPercentage();
                    double weights = c.tasks().stream().mapToDouble(EvalTask::weight).sum();
                    assertEquals(
                            1.0, weights, 1e-9, s.name() + " @" + e.startBlock() + " " + c.id());
                }
                assertEquals(1.0, rewards, 1e-9, s.name() + " @" + e.startBlock());
            }
        }
    }

    @Test
    void rejectsTaskWeightsThatDoNotSumToOne() {
        var ex =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new Competition(
                                        CompetitionId.B7_MULTI_CHOICE,
                                        ModelConstraints.B7_HEAD,
                                        1.0,
                                        List.of(EvalTask.raw("SYNTHETIC_MMLU", 0.9))));
        assertTrue(ex.getMessage().contains("sum to 0.9"), ex.getMessage());
    }

    @Test
    void namedAcceptsBothSchedulesAndListsThemOtherwise() {
        assertEquals(OCT, CompetitionSchedule.named("oct2024"));
        assertEquals(LATER, CompetitionSchedule.named("later"));
        var ex =
                assertThrows(
                        IllegalArgumentException.class, () -> CompetitionSchedule.named("head"));
        assertEquals(
                "unknown competition schedule 'head': expected one of [oct2024, later]",
                ex.getMessage());
    }

    @Test
    void negativeBlockHasNoSchedule() {
        assertThrows(IllegalArgumentException.class, () -> OCT.competitionsAt(-1));
    }

    @Test
    void theDefaultCompetitionIsTheLargestShareInForceAtTheBlock() {
        assertEquals(CompetitionId.B7_MULTI_CHOICE, LATER.defaultAt(0).id(), "75 % beats 25 %");
        assertEquals(CompetitionId.INSTRUCT_8B, LATER.defaultAt(4_675_163).id());
        assertEquals(CompetitionId.INSTRUCT_8B, LATER.defaultAt(5_158_631).id());
        assertEquals(CompetitionId.DISTILLED_REASONING_3B, LATER.defaultAt(5_158_632).id());
        assertEquals(CompetitionId.DISTILLED_REASONING_3B, LATER.defaultAt(9_000_000).id());
    }

    @Test
    void anEvenSplitDefaultsToTheLowerId() {
        Competition b7 = LATER.find(CompetitionId.B7_MULTI_CHOICE, 0).orElseThrow();
        Competition instruct = LATER.find(CompetitionId.INSTRUCT_8B, 0).orElseThrow();
        CompetitionSchedule even = new CompetitionSchedule("even", List.of(new CompetitionSchedule.Entry(0, List.of(
                new Competition(instruct.id(), instruct.constraints(), 0.5, instruct.tasks()),
                new Competition(b7.id(), b7.constraints(), 0.5, b7.tasks())))));
        assertEquals(CompetitionId.B7_MULTI_CHOICE, even.defaultAt(10).id());
    }
}
