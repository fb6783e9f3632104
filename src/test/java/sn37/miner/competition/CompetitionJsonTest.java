package sn37.miner.competition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class CompetitionJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void scheduleSerialisesAsEntriesOfCompetitions() throws Exception {
        JsonNode tree = json.readTree(json.writeValueAsString(CompetitionSchedule.oct2024()));
        assertEquals("oct2024", tree.get("name").asText());
        JsonNode entries = tree.get("entries");
        assertTrue(entries.isArray());
        assertEquals(3, entries.size());
        assertEquals(4_250_808, entries.get(2).get("startBlock").asLong());
        JsonNode b7 = entries.get(2).get("competitions").get(0);
        assertEquals("B7_MULTI_CHOICE", b7.get("id").asText());
        assertEquals(2, b7.get("number").asInt());
        assertEquals(6_900_000_000L, b7.get("constraints").get("maxParams").asLong());
        assertEquals(36_000, b7.get("constraints").get("epsilon").get("decayBlocks").asLong());
        assertEquals("FINEWEB", b7.get("tasks").get(2).get("name").asText());
        assertEquals(20.0, b7.get("tasks").get(2).get("ceiling").asDouble());
    }

    @Test
    void scheduleRoundTripsThroughJson() throws Exception {
        for (String name : CompetitionSchedule.NAMES) {
            CompetitionSchedule schedule = CompetitionSchedule.named(name);
            String text = json.writeValueAsString(schedule);
            assertEquals(schedule, json.readValue(text, CompetitionSchedule.class));
        }
    }

    @Test
    void nullTokenizerSerialisesAsNull() throws Exception {
        JsonNode instruct = json.valueToTree(ModelConstraints.INSTRUCT_8B);
        assertTrue(instruct.get("tokenizer").isNull());
    }
}
