package sn37.miner.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Competition-4 rows in the datasets' column sets, for tests outside this package. */
public final class ReasoningFixtures {
    private ReasoningFixtures() {}

    /** Math and code-output rows, every fourth of a task type validators do not score. */
    public static List<ObjectNode> synthetic(int n) {
        return ReasoningSampleSourceTest.syntheticRows("s", n, 4);
    }

    public static List<ObjectNode> codeforces(String tag, int n) {
        return ReasoningSampleSourceTest.codeforcesRows(tag, n);
    }
}
