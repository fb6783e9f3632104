package sn37.miner.competition;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Competition ids as committed on chain (finetuning competitions/data.py @afd44037). */
public enum CompetitionId {
    NONE(0),
    /** Deprecated: sunset in v2.1.0 (Sep 2024). */
    SN9_MODEL(1),
    B7_MULTI_CHOICE(2),
    INSTRUCT_8B(3),
    DISTILLED_REASONING_3B(4);

    private final int id;

    CompetitionId(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static CompetitionId fromId(int id) {
        for (CompetitionId c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        String allowed =
                Arrays.stream(values())
                        .map(c -> c.id + " (" + c.name() + ")")
                        .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "unknown competition id " + id + ": expected one of " + allowed);
    }
}
