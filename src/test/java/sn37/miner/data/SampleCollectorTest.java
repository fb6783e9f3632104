package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleCollectorTest {

    private final JsonMapper json = new JsonMapper();

    private ObjectNode row(String challenge, String reference) {
        return json.createObjectNode().put("challenge", challenge).put("reference", reference);
    }

    @Test
    void reportsDropsInReasonOrderWhateverTheOrderSeen() {
        SampleCollector collector = new SampleCollector();
        collector.offer("run r step 1", row("Q", "A"));
        collector.offer("run r step 2", row("Q", "A"));
        collector.offer("run r step 3", row("Q", "Z"));
        collector.reject("run r step 4", DropReason.MALFORMED_JSON, "malformed JSON: {");

        SampleLoad load = collector.finish(Map.of("source", "test"));

        assertEquals(List.of("malformed JSON", "reference not one of A-D", "duplicate (challenge, reference)"),
                List.copyOf(load.droppedByReason().keySet()));
        assertEquals(4, load.rowsRead());
        assertEquals("4 rows read, 1 kept; dropped: malformed JSON 1, reference not one of A-D 1, "
                + "duplicate (challenge, reference) 1", load.summary());
        assertEquals("run r step 2: duplicate of run r step 1 (same challenge and reference)", load.examples().get(0));
    }

    @Test
    void keepsAtMostFiveExamples() {
        SampleCollector collector = new SampleCollector();
        for (int i = 1; i <= 8; i++) {
            collector.offer("line " + i, row("Q" + i, "x"));
        }

        SampleLoad load = collector.finish(Map.of());

        assertEquals(5, load.examples().size());
        assertEquals(Map.of("reference not one of A-D", 8), load.droppedByReason());
    }

    @Test
    void isFullOnceTheLimitIsKept() {
        SampleCollector collector = new SampleCollector(2);
        collector.offer("a", row("Q1", "A"));
        collector.offer("b", row("Q1", "A"));
        assertFalse(collector.isFull());

        collector.offer("c", row("Q2", "B"));

        assertTrue(collector.isFull());
        assertEquals(2, collector.kept());
    }

    @Test
    void nonStringProvenanceScalarsAreKeptAsText() {
        SampleCollector collector = new SampleCollector();
        collector.offer("a", row("Q", "A").put("id", 17).put("timestamp", 1727784000.5));

        McSample sample = collector.finish(Map.of()).samples().get(0);

        assertEquals("17", sample.id());
        assertEquals("1.7277840005E9", sample.timestamp());
    }
}
