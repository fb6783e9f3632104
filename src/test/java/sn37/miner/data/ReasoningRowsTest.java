package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validators' parsing of SYNTHETIC-1 SFT and Codeforces CoTs rows, and the drops beyond it. */
class ReasoningRowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode synthetic(String type, String question, String answerTurn) {
        ObjectNode row = JSON.createObjectNode().put("response_id", "r-" + question.hashCode())
                .put("problem_id", "p-" + question.hashCode()).put("task_type", type).put("score", 1.0);
        ArrayNode m = row.putArray("messages");
        m.addObject().put("content", question).put("role", "user");
        m.addObject().put("content", answerTurn).put("role", "assistant");
        return row;
    }

    static ObjectNode codeforces(String id, String question, String trace) {
        ObjectNode row = JSON.createObjectNode().put("id", id).put("contest_type", "ICPC").put("title", "T " + id);
        ArrayNode m = row.putArray("messages");
        m.addObject().put("content", question).put("role", "user");
        m.addObject().put("content", trace).put("role", "assistant");
        return row;
    }

    private static ReasoningRows.Parsed parse(ReasoningTask task, ObjectNode row) {
        return ReasoningRows.parse(task, row, List.of());
    }

    @Test
    void mathReferenceIsTheTraceBeforeTheLastBoxedAnswerThenThatAnswer() {
        ReasoningSample s = parse(ReasoningTask.SYNTHETIC_1_SFT, synthetic("verifiable_math", "What is 6*7?",
                "<think>try \\boxed{41}? no</think>\nSo the answer is \\boxed{42}.  \n")).sample();
        assertEquals("What is 6*7?", s.question());
        assertEquals("<think>try \\boxed{41}? no</think>\nSo the answer is \\boxed{42}", s.reference());
        assertEquals("verifiable_math", s.kind());
    }

    @Test
    void mathWithoutABoxedAnswerKeepsTheWholeTurnAndAnEmptyBox() {
        assertEquals("no answer here \\boxed{}", ReasoningRows.mathReference(" no answer here\n"));
        assertEquals("x \\boxed{} \\boxed{}", ReasoningRows.mathReference("x \\boxed{}"));
    }

    @Test
    void codeReferenceRemovesTheFirstCopyOfTheLastOutputAndAppendsIt() {
        String turn = "<think>out {\"output\": \"7\"} then {\"output\": \"8\"}</think> {\"output\": \"8\"}";
        assertEquals("<think>out {\"output\": \"7\"} then </think> {\"output\": \"8\"} {\"output\": \"8\"}",
                ReasoningRows.codeReference(turn));
        assertEquals("plain {\"output\": \"\"}", ReasoningRows.codeReference("plain"));
    }

    @Test
    void pythonStripAlsoRemovesNoBreakSpaces() {
        assertEquals("a b", PyStrings.strip("\u00a0\t a b\u2007\u0085\n"));
    }

    @Test
    void syntheticTaskTypesValidatorsDoNotScoreAreDropped() {
        ReasoningRows.Parsed p = parse(ReasoningTask.SYNTHETIC_1_SFT, synthetic("verifiable_code", "q", "a"));
        assertNull(p.sample());
        assertEquals(ReasoningRows.UNSCORED_TYPE, p.reason());
        ObjectNode noType = synthetic("verifiable_math", "q", "a");
        noType.remove("task_type");
        assertEquals(ReasoningRows.UNSCORED_TYPE, parse(ReasoningTask.SYNTHETIC_1_SFT, noType).reason());
    }

    @Test
    void rowsWithMissingOrMalformedMessagesAreDroppedWithTheirReason() {
        ObjectNode noMessages = synthetic("verifiable_math", "q", "a");
        noMessages.remove("messages");
        assertEquals(ReasoningRows.BAD_MESSAGES, parse(ReasoningTask.SYNTHETIC_1_SFT, noMessages).reason());
        ObjectNode numberContent = synthetic("verifiable_math", "q", "a");
        ((ObjectNode) numberContent.get("messages").get(1)).put("content", 5);
        assertEquals(ReasoningRows.BAD_MESSAGES, parse(ReasoningTask.SYNTHETIC_1_SFT, numberContent).reason());
        ObjectNode three = codeforces("1A", "q", "t");
        ((ArrayNode) three.get("messages")).addObject().put("content", "more").put("role", "user");
        assertEquals(ReasoningRows.NOT_TWO_MESSAGES, parse(ReasoningTask.CODEFORCES_COTS, three).reason());
        assertEquals(ReasoningRows.NOT_OBJECT, ReasoningRows.parse(ReasoningTask.CODEFORCES_COTS,
                JSON.getNodeFactory().textNode("x"), List.of()).reason());
        assertEquals(ReasoningRows.TRUNCATED, ReasoningRows.parse(ReasoningTask.CODEFORCES_COTS,
                codeforces("1A", "q", "t"), List.of("messages")).reason());
        assertEquals(ReasoningRows.BLANK, parse(ReasoningTask.CODEFORCES_COTS, codeforces("1A", "q", " \n")).reason());
    }

    @Test
    void codeforcesRowsOverTheLengthEstimateAreDroppedAndTheTraceIsStripped() {
        // (q // 4) + (t // 4) + 10 <= 16384 in code points.
        String q = "q".repeat(4 * 100);
        assertEquals("t".repeat(4 * 16_274), parse(ReasoningTask.CODEFORCES_COTS,
                codeforces("1A", q, "\n" + "t".repeat(4 * 16_274) + " ")).sample().reference());
        assertEquals(ReasoningRows.TOO_LONG, parse(ReasoningTask.CODEFORCES_COTS,
                codeforces("1A", q, "t".repeat(4 * 16_275))).reason());
        ReasoningSample s = parse(ReasoningTask.CODEFORCES_COTS, codeforces("1A", "Solve it", "<think>x</think> y"))
                .sample();
        assertEquals("1A", s.id());
        assertEquals("ICPC", s.kind());
    }

    @Test
    void theContentHashIgnoresProvenance() {
        ReasoningSample a = new ReasoningSample(ReasoningTask.CODEFORCES_COTS, "q", "r", "1", "ICPC");
        ReasoningSample b = new ReasoningSample(ReasoningTask.CODEFORCES_COTS, "q", "r", "2", null);
        assertEquals(a.sha256(), b.sha256());
        assertEquals(64, a.sha256().length());
    }
}
