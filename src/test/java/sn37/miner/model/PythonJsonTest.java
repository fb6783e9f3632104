package sn37.miner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class PythonJsonTest {

    @Test
    void floatsAreWrittenAsPythonRepr() {
        // Expected strings are Python 3.11's repr() of the same doubles.
        double[] values = {1e-05, 10000.0, 0.02, 1e16, 1e15, 0.0001, 0.1 + 0.2, 5e-324, Double.MAX_VALUE, -0.0,
            123456789.0, 1.5e-7, 2.5e20, 500000.0, 1e22, 9007199254740993.0, 2.0 / 3, 0.00012345};
        String[] reprs = {"1e-05", "10000.0", "0.02", "1e+16", "1000000000000000.0", "0.0001", "0.30000000000000004",
            "5e-324", "1.7976931348623157e+308", "-0.0", "123456789.0", "1.5e-07", "2.5e+20", "500000.0", "1e+22",
            "9007199254740992.0", "0.6666666666666666", "0.00012345"};
        for (int i = 0; i < values.length; i++) {
            assertEquals(reprs[i], PythonJson.floatRepr(values[i]), "repr of " + values[i]);
        }
        assertEquals("NaN", PythonJson.floatRepr(Double.NaN));
        assertEquals("-Infinity", PythonJson.floatRepr(Double.NEGATIVE_INFINITY));
    }

    @Test
    void dumpsLikePythonWithIndentTwoAndSortedKeys() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode value = mapper.createObjectNode();
        value.set("b", mapper.readTree("[1, 2.5, {\"z\": null, \"a\": true}]"));
        value.putObject("a");
        value.putArray("c");
        value.put("\u00e9t\u00e9 \uD83D\uDE00\u007f\t", "q\"\\\n\u0001");
        value.put("B", new BigInteger("123456789012345678901234567890"));
        value.put("\uFFFD", false);
        value.put("\uD83D\uDE00", 1);
        // Output of Python 3.11 json.dumps(..., indent=2, sort_keys=True) for the same object.
        String python = """
                {
                  "B": 123456789012345678901234567890,
                  "a": {},
                  "b": [
                    1,
                    2.5,
                    {
                      "a": true,
                      "z": null
                    }
                  ],
                  "c": [],
                  "\\u00e9t\\u00e9 \\ud83d\\ude00\\u007f\\t": "q\\"\\\\\\n\\u0001",
                  "\\ufffd": false,
                  "\\ud83d\\ude00": 1
                }""";
        assertEquals(python, PythonJson.dumps(value));
        JsonNode scalar = mapper.readTree("7");
        assertEquals("7", PythonJson.dumps(scalar));
    }
}
