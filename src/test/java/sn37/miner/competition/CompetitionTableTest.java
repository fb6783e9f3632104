package sn37.miner.competition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

class CompetitionTableTest {

    private final String oct = CompetitionTable.render(CompetitionSchedule.oct2024(), "Oct 2024");
    private final String later = CompetitionTable.render(CompetitionSchedule.later(), "HEAD");

    @Test
    void tableNamesEveryScheduledCompetition() {
        assertTrue(oct.contains("B7_MULTI_CHOICE"));
        for (String name : List.of("B7_MULTI_CHOICE", "INSTRUCT_8B", "DISTILLED_REASONING_3B")) {
            assertTrue(later.contains(name), name);
        }
    }

    @Test
    void tableShowsOneBlockPerEntry() {
        assertTrue(oct.startsWith("Oct 2024\n"));
        for (String from :
                List.of("from block 0\n", "from block 4139465\n", "from block 4250808\n")) {
            assertTrue(oct.contains(from), from);
        }
        assertTrue(later.contains("from block 4675163\n"));
        assertTrue(later.contains("from block 5158632\n"));
    }

    @Test
    void tableFormatsSizesEpsilonAndTasksForHumans() {
        assertTrue(oct.contains("15 GiB"));
        assertTrue(oct.contains("≤ 6.9 B"));
        assertTrue(oct.contains("0.05→0.01 / 5 d"));
        assertTrue(oct.contains("100 %"));
        assertTrue(
                oct.contains(
                        "SYNTHETIC_MMLU 0.90, WORD_SORTING 0.05 (inv-exp 40), FINEWEB 0.05 (inv-exp"
                                + " 20)"));
        assertTrue(oct.contains("SYNTHETIC_MMLU 0.975, WORD_SORTING 0.025 (inv-exp 40)"));
        assertTrue(later.contains("3.2 B – 3.4 B"));
        assertTrue(later.contains("any (in repo)"));
        assertTrue(later.contains("20 GiB"));
        assertTrue(later.contains("0.05→0.01 / 1 d"));
        assertTrue(later.contains("0.05→0.01 / 3 d"));
        assertTrue(later.contains("75 %") && later.contains("25 %"));
    }

    @Test
    void tableFitsA160ColumnTerminalAndKeepsEveryArchitecture() {
        for (String table : List.of(oct, later)) {
            for (String line : table.split("\n")) {
                assertTrue(line.length() <= CompetitionTable.WIDTH, line.length() + ": " + line);
            }
        }
        for (String arch : ModelConstraints.INSTRUCT_8B.allowedArchitectures()) {
            assertTrue(later.contains(arch), arch);
        }
    }

    @Test
    void humanFormsOfParamsAndBytes() {
        assertEquals("≤ 8.1 B", CompetitionTable.params(0, 8_100_000_000L));
        assertEquals("3.2 B – 3.4 B", CompetitionTable.params(3_200_000_000L, 3_400_000_000L));
        assertEquals("7 B", CompetitionTable.params(0, 7_000_000_000L).substring(2));
        assertEquals("15 GiB", CompetitionTable.bytes(15L * 1024 * 1024 * 1024));
        assertEquals(
                "0.05→0.01 / 36001 blocks",
                CompetitionTable.epsilon(new LinearDecay(0.05, 0.01, 36_001)));
    }

    @Test
    void theMarkedCompetitionIsStarredInTheEntryInForceAtItsBlock() {
        String marked = CompetitionTable.render(CompetitionSchedule.later(), "HEAD",
                new CompetitionTable.Mark(4_700_000, CompetitionId.INSTRUCT_8B, "live at block 4700000"));
        assertTrue(marked.startsWith("HEAD\n* live at block 4700000\n"), marked);
        List<String> starred = marked.lines().filter(l -> l.startsWith("* ")).toList();
        assertEquals(2, starred.size(), marked);
        assertTrue(starred.get(1).matches("\\* 3 +INSTRUCT_8B .*"), starred.get(1));
        // the row of the entry in force at the block, not INSTRUCT_8B's 25 % row at block 0
        assertTrue(starred.get(1).contains("100 %"), starred.get(1));
        for (String line : marked.split("\n")) {
            assertTrue(line.length() <= CompetitionTable.WIDTH, line.length() + ": " + line);
        }
    }
}
