package sn37.miner.competition;

import java.util.List;
import java.util.Optional;

/**
 * Competitions by block, as finetuning's COMPETITION_SCHEDULE_BY_BLOCK: the entry in force at a
 * block is the last one whose start block is ≤ that block.
 */
public record CompetitionSchedule(String name, List<Entry> entries) {

    public static final List<String> NAMES = List.of("oct2024", "later");

    public record Entry(long startBlock, List<Competition> competitions) {
        public Entry {
            competitions = List.copyOf(competitions);
            double sum = competitions.stream().mapToDouble(Competition::rewardPercentage).sum();
            // finetuning asserts math.isclose(sum of reward_percentage, 1.0) per entry.
            if (Math.abs(sum - 1.0) > 1e-9) {
                throw new IllegalArgumentException(
                        "block " + startBlock + ": reward percentages sum to " + sum + ", not 1");
            }
        }
    }

    public CompetitionSchedule {
        entries = List.copyOf(entries);
        if (entries.isEmpty() || entries.get(0).startBlock() != 0) {
            throw new IllegalArgumentException(name + ": the first entry must start at block 0");
        }
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).startBlock() <= entries.get(i - 1).startBlock()) {
                throw new IllegalArgumentException(
                        name + ": entry start blocks must be strictly increasing");
            }
        }
    }

    public List<Competition> competitionsAt(long block) {
        return entryAt(block).competitions();
    }

    /** The entry in force at {@code block}. */
    public Entry entryAt(long block) {
        if (block < 0) {
            throw new IllegalArgumentException("block must be ≥ 0, got " + block);
        }
        Entry current = entries.get(0);
        for (Entry e : entries) {
            if (e.startBlock() <= block) {
                current = e;
            }
        }
        return current;
    }

    public Optional<Competition> find(CompetitionId id, long block) {
        return competitionsAt(block).stream().filter(c -> c.id() == id).findFirst();
    }

    /**
     * The competition {@code id} as validators run it now: in the latest entry of finetuning HEAD's schedule
     * ({@code later}; since block 5,158,632 that is DISTILLED_REASONING_3B alone, reference-miner.md §4.3).
     */
    public static Optional<Competition> liveNow(CompetitionId id) {
        List<Entry> head = later().entries();
        return head.get(head.size() - 1).competitions().stream().filter(c -> c.id() == id).findFirst();
    }

    /** The start block of HEAD's latest entry: the block {@link #liveNow} describes. */
    public static long liveNowBlock() {
        List<Entry> head = later().entries();
        return head.get(head.size() - 1).startBlock();
    }

    /**
     * The competition a miner mines at {@code block} when it names none: of those in force there, the one with the
     * largest share of emissions, a tie going to the lower id. In HEAD's schedule that is B7_MULTI_CHOICE (75 %)
     * before block 4,675,163, then INSTRUCT_8B, and since 5,158,632 DISTILLED_REASONING_3B, each alone.
     */
    public Competition defaultAt(long block) {
        return competitionsAt(block).stream()
                .max(java.util.Comparator.comparingDouble(Competition::rewardPercentage)
                        .thenComparing(c -> -c.id().id()))
                .orElseThrow();
    }

    /** Whether some schedule runs competition {@code id} at some block: otherwise no validator scores it. */
    public static boolean scheduled(int id) {
        return NAMES.stream().map(CompetitionSchedule::named).flatMap(s -> s.entries().stream())
                .anyMatch(e -> e.competitions().stream().anyMatch(c -> c.id().id() == id));
    }

    public static CompetitionSchedule named(String name) {
        return switch (name == null ? "" : name) {
            case "oct2024" -> oct2024();
            case "later" -> later();
            default ->
                    throw new IllegalArgumentException(
                            "unknown competition schedule '"
                                    + name
                                    + "': expected one of "
                                    + NAMES);
        };
    }

    /**
     * The "as of Oct 1st 2024" state (@8e2b0cbb, v2.1.2): B7_MULTI_CHOICE alone at 100 %, with the
     * eval-task changes validators applied in Oct/Nov 2024.
     */
    public static CompetitionSchedule oct2024() {
        ModelConstraints b7 = ModelConstraints.B7_OCT_2024;
        return new CompetitionSchedule(
                "oct2024",
                List.of(
                        entry(0, competition(B7, b7, 1.0, mmlu(1.0))),
                        // WORD_SORTING_BLOCK, neurons/validator.py @ed975ab5 (v2.2.0).
                        entry(4_139_465, competition(B7, b7, 1.0, mmlu(0.975), wordSorting(0.025))),
                        // FINEWEB_BLOCK, constants/__init__.py @c6875fe; ceiling 20 from d1bdb4c.
                        entry(
                                4_250_808,
                                competition(
                                        B7,
                                        b7,
                                        1.0,
                                        mmlu(0.90),
                                        wordSorting(0.05),
                                        fineweb(0.05)))));
    }

    /** HEAD (@afd44037, v3.1.0): COMPETITION_SCHEDULE_BY_BLOCK as shipped. */
    public static CompetitionSchedule later() {
        EvalTask[] mixed = {mmlu(0.75), wordSorting(0.05), fineweb(0.10), ifEvalV2(0.10)};
        return new CompetitionSchedule(
                "later",
                List.of(
                        entry(
                                0,
                                competition(B7, ModelConstraints.B7_HEAD, 0.75, mixed),
                                competition(INSTRUCT, ModelConstraints.INSTRUCT_8B, 0.25, mixed)),
                        // SUNSET_B7_BLOCK
                        entry(
                                4_675_163,
                                competition(
                                        INSTRUCT,
                                        ModelConstraints.INSTRUCT_8B,
                                        1.0,
                                        mmlu(0.30),
                                        wordSorting(0.05),
                                        fineweb(0.35),
                                        ifEvalV2(0.30))),
                        // SUNSET_INSTRUCT_8B_BLOCK; both tasks are reference losses, unnormalized.
                        entry(
                                5_158_632,
                                competition(
                                        CompetitionId.DISTILLED_REASONING_3B,
                                        ModelConstraints.DISTILLED_REASONING_3B,
                                        1.0,
                                        EvalTask.raw("SYNTHETIC_1_SFT", 0.5),
                                        EvalTask.raw("CODEFORCES_COTS", 0.5)))));
    }

    private static final CompetitionId B7 = CompetitionId.B7_MULTI_CHOICE;
    private static final CompetitionId INSTRUCT = CompetitionId.INSTRUCT_8B;

    private static Entry entry(long startBlock, Competition... competitions) {
        return new Entry(startBlock, List.of(competitions));
    }

    private static Competition competition(
            CompetitionId id, ModelConstraints constraints, double reward, EvalTask... tasks) {
        return new Competition(id, constraints, reward, List.of(tasks));
    }

    private static EvalTask mmlu(double weight) {
        return EvalTask.raw("SYNTHETIC_MMLU", weight);
    }

    private static EvalTask ifEvalV2(double weight) {
        return EvalTask.raw("IF_EVAL_V2", weight);
    }

    // Ceilings 40 (word sorting) and 20 (fineweb) are unchanged from Nov 2024 to @afd44037.
    private static EvalTask wordSorting(double weight) {
        return EvalTask.inverseExponential("WORD_SORTING", weight, 40.0);
    }

    private static EvalTask fineweb(double weight) {
        return EvalTask.inverseExponential("FINEWEB", weight, 20.0);
    }
}
