package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Draws compared with CPython 3.11's random module (resources eval/random.json, made by make_golden.py). */
class PythonRandomTest {

    static List<JsonNode> vectors() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper().readTree(PythonRandomTest.class.getResource("/eval/random.json")).forEach(out::add);
        return out;
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void getrandbitsMatchesCpythonForTheSameSeed(JsonNode v) {
        PythonRandom r = new PythonRandom(new BigInteger(v.get("seed").asText()));
        for (JsonNode expected : v.get("getrandbits32")) assertEquals(expected.asLong(), r.getrandbits(32));
        for (JsonNode expected : v.get("randint_2_20")) assertEquals(expected.asInt(), r.randint(2, 20));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void sampleOfASmallPopulationUsesThePoolStrategyAsCpythonDoes(JsonNode v) {
        PythonRandom r = new PythonRandom(new BigInteger(v.get("seed").asText()));
        List<Integer> population = IntStream.range(0, 10).boxed().toList();
        List<Integer> expected = new ArrayList<>();
        v.get("sample_range10_k4").forEach(n -> expected.add(n.asInt()));
        assertEquals(expected, r.sample(population, 4));
    }
}
