package sn37.miner.eval.ifeval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import sn37.miner.data.McSample;

/** Vectors from finetuning's if_eval code, NLTK's Punkt and difflib (resources eval/ifeval, made by make_golden.py). */
final class Golden {

    static final JsonNode ROOT = read();

    private Golden() {}

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(Golden.class.getResource("/eval/ifeval/golden.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> list(String key) {
        List<JsonNode> out = new ArrayList<>();
        ROOT.get(key).forEach(out::add);
        return out;
    }

    static List<McSample> rows() {
        return list("rows").stream()
                .map(r -> new McSample(r.get("challenge").asText(), r.get("reference").asText()))
                .toList();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
