package sn37.miner.pipeline;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import sn37.miner.util.Json;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.StageNames;

/**
 * Generated bad requests to the REST API, each with the status and a text its error detail must contain. The
 * run parameters are found by Jackson introspection of {@link RunParams}, so a new field gets its cases too.
 */
final class BadRequests {
    /** One request and the answer it must get. */
    record Case(String category, String name, String method, String path, byte[] body, String contentType,
            Map<String, String> headers, int status, String detail) {

        Case header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Case(category, this.name, method, path, body, contentType, h, status, detail);
        }
    }

    /** A valid run body: every proper prefix of it, and each stray character inserted into it, is malformed. */
    static final String VALID = "{\"offline\": true, \"init_config\": \"tiny-llama\", \"max_steps\": 4,"
            + " \"batch_size\": 8, \"lr\": 0.003}";

    /** A 1 MB string. */
    static final String HUGE = "x".repeat(1 << 20);

    private BadRequests() {}

    static Case post(String category, String name, String path, String body, int status, String detail) {
        return new Case(category, name, "POST", path, body.getBytes(StandardCharsets.UTF_8), "application/json",
                Map.of(), status, detail);
    }

    static Case run(String category, String name, String body, int status, String detail) {
        return post(category, name, "/api/runs", body, status, detail);
    }

    static Case get(String category, String path, int status, String detail) {
        return new Case(category, path, "GET", path, null, null, Map.of(), status, detail);
    }

    /** The JSON field names of the run parameters and their Java types. */
    static Map<String, Class<?>> fields() {
        JavaType type = Json.mapper().constructType(RunParams.class);
        Map<String, Class<?>> out = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : Json.mapper().getSerializationConfig().introspect(type).findProperties()) {
            out.put(p.getName(), p.getRawPrimaryType());
        }
        return out;
    }

    /** How a validation message names the field: the CLI flag (wallet_name is --wallet.name). */
    static String flag(String field) {
        if (field.equals("metric") || field.equals("upload_dir")) return field;
        String dotted = field.startsWith("wallet_") || field.startsWith("subtensor_")
                ? field.replaceFirst("_", ".") : field;
        return "--" + dotted;
    }

    static List<Case> malformedJson() {
        List<Case> out = new ArrayList<>();
        for (int i = 1; i < VALID.length(); i++) {
            out.add(run("malformed JSON", "truncated at " + i, VALID.substring(0, i), 400, "(line 1, column"));
        }
        String stray = "#@;',}]:";
        int k = 0;
        for (int i : structuralPositions(VALID)) {
            char c = stray.charAt(k++ % stray.length());
            String body = VALID.substring(0, i) + c + VALID.substring(i);
            out.add(run("malformed JSON", "stray '" + c + "' at " + i, body, 400, "(line 1, column"));
        }
        for (String b : List.of("[1, 2]", "[]", "[{\"offline\": true}]", "\"offline\"", "42", "-1.5", "true", "false",
                "null", "\"{\\\"offline\\\": true}\"", "offline=true", "<run offline=\"true\"/>")) {
            out.add(run("malformed JSON", "top-level " + b, b, 400, "must be a JSON object"));
        }
        for (String b : List.of("{\"offline\": true}}", "{\"offline\": true} {}", "{\"offline\": true} []",
                "{\"offline\": NaN}", "{\"lr\": Infinity}", "{\"lr\": -Infinity}", "{\"lr\": .5}", "{\"lr\": 05}",
                "{\"lr\": 0x10}", "{'offline': true}", "{offline: true}", "{\"offline\": True}", "{\"offline\": true,}",
                "{\"offline\" true}", "{\"offline\": tru}", "{\"init_config\": \"tiny\nllama\"}", "{/* c */}",
                "{\"offline\": true} // c", "{\"init_config\": \"\\x41\"}")) {
            out.add(run("malformed JSON", b, b, 400, "(line "));
        }
        for (int depth : new int[] {2, 10, 100, 1000, 5000}) {
            String arrays = "[".repeat(depth) + "]".repeat(depth);
            String objects = "{\"a\": ".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
            out.add(run("malformed JSON", "offline nested " + depth, "{\"offline\": " + arrays + "}", 400,
                    "field 'offline' has the wrong type: got an array"));
            out.add(run("malformed JSON", "init_config nested objects " + depth, "{\"init_config\": " + objects + "}",
                    400, "field 'init_config' has the wrong type: got an object"));
            out.add(run("malformed JSON", "top-level nested " + depth, arrays, 400, "must be a JSON object"));
        }
        return out;
    }

    /** Invalid UTF-8 as a value and as a field name; each must be refused before it is decoded as text. */
    static List<Case> invalidUtf8() {
        List<Case> out = new ArrayList<>();
        byte[][] bad = {{(byte) 0xff}, {(byte) 0xc3, 0x28}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80},
                {(byte) 0xfe, (byte) 0xfe}};
        for (byte[] b : bad) {
            for (String template : List.of("{\"init_config\": \"tiny%s\"}", "{\"off%sline\": true}")) {
                String[] parts = template.split("%s");
                byte[] head = parts[0].getBytes(StandardCharsets.UTF_8);
                byte[] tail = parts[1].getBytes(StandardCharsets.UTF_8);
                byte[] body = new byte[head.length + b.length + tail.length];
                System.arraycopy(head, 0, body, 0, head.length);
                System.arraycopy(b, 0, body, head.length, b.length);
                System.arraycopy(tail, 0, body, head.length + b.length, tail.length);
                out.add(new Case("invalid UTF-8", template + " with " + hex(b), "POST", "/api/runs", body,
                        "application/json", Map.of(), 400, "not valid UTF-8"));
            }
        }
        return out;
    }

    static List<Case> wrongTypes() {
        List<Case> out = new ArrayList<>();
        fields().forEach((field, type) -> {
            List<String> values;
            if (type == Integer.class || type == Long.class) {
                values = List.of("\"7\"", "\"abc\"", "1.5", "true", "[]", "{}", "[1]");
            } else if (type == Double.class) {
                values = List.of("\"0.5\"", "\"abc\"", "true", "[]", "{}", "[0.5]");
            } else if (type == Boolean.class) {
                values = List.of("\"true\"", "\"yes\"", "1", "0", "[]", "{}");
            } else {
                values = List.of("5", "1.5", "true", "[]", "{}", "[\"a\"]");
            }
            for (String v : values) {
                out.add(run("wrong types", field + "=" + v, "{\"" + field + "\": " + v + "}", 400,
                        "field '" + field + "' has the wrong type"));
            }
        });
        return out;
    }

    static List<Case> hugeValues() {
        List<Case> out = new ArrayList<>();
        fields().forEach((field, type) -> {
            if (type == Integer.class) {
                for (String v : List.of("2147483648", "-2147483649", "99999999999999999999", "1e400", "-1e400")) {
                    out.add(run("huge values", field + "=" + v, "{\"" + field + "\": " + v + "}", 400,
                            "field '" + field + "'"));
                }
            } else if (type == Long.class) {
                for (String v : List.of("9223372036854775808", "-9223372036854775809", "1e400", "9".repeat(2000))) {
                    // past 1000 digits the parser stops before it knows the field
                    out.add(run("huge values", field + "=" + abbreviated(v), "{\"" + field + "\": " + v + "}", 400,
                            v.length() < 1000 ? "field '" + field + "'" : "Number value length (2000) exceeds"));
                }
            } else if (type == Double.class) {
                for (String v : List.of("1e400", "-1e400")) {
                    out.add(run("huge values", field + "=" + v, "{\"" + field + "\": " + v + "}", 400, flag(field)));
                }
            } else if (type == String.class) {
                out.add(run("huge values", field + "=1MB", "{\"" + field + "\": \"" + HUGE + "\"}", 400, flag(field)));
            }
        });
        Map<String, List<String>> outOfRange = new LinkedHashMap<>();
        outOfRange.put("batch_size", List.of("0", "-1", "4097", "1000000"));
        outOfRange.put("accumulation_steps", List.of("0", "-5", "1000001"));
        outOfRange.put("lora_rank", List.of("-1", "1025"));
        outOfRange.put("netuid", List.of("-1", "65536"));
        outOfRange.put("num_epochs", List.of("0", "-2"));
        outOfRange.put("max_steps", List.of("0", "-2"));
        outOfRange.put("checkpoint_every", List.of("0", "-1"));
        outOfRange.put("data_limit", List.of("0", "-1"));
        outOfRange.put("load_uid", List.of("-1"));
        outOfRange.put("incumbent_block", List.of("-1"));
        outOfRange.put("current_block", List.of("-1"));
        outOfRange.put("competition_id", List.of("-1", "0", "999"));
        outOfRange.put("lr", List.of("0", "-0.1", "1", "1.5"));
        outOfRange.put("avg_loss_upload_threshold", List.of("-0.5", "-1e-300"));
        outOfRange.put("nproc_per_node", List.of("0", "-1", "1025"));
        outOfRange.put("nnodes", List.of("0", "-1", "1025"));
        outOfRange.forEach((field, values) -> {
            for (String v : values) {
                out.add(run("huge values", field + "=" + v, "{\"" + field + "\": " + v + "}", 400, flag(field)));
            }
        });
        return out;
    }

    static List<Case> unknownFields() {
        List<Case> out = new ArrayList<>();
        Set<String> known = fields().keySet();
        for (String field : known) {
            Set<String> variants = new java.util.LinkedHashSet<>(List.of(field.toUpperCase(), field.replace('_', '-'),
                    camel(field), field + "s", field.substring(0, field.length() - 1), "--" + field, " " + field,
                    field.replaceFirst("_", ".")));
            variants.removeAll(known);
            for (String v : variants) {
                out.add(run("unknown fields", v, "{\"" + v + "\": true}", 400, "unknown field '" + v + "'"));
            }
        }
        for (String v : List.of("threshold", "foo", "", "__proto__", "wallet", "params", "a".repeat(10_000))) {
            out.add(run("unknown fields", abbreviated(v), "{\"offline\": true, \"" + v + "\": 1}", 400,
                    "unknown field '" + abbreviated(v)));
        }
        return out;
    }

    /** Paths refused by the API: they can never name a file. Paths that might are the stage's to judge. */
    static List<Case> badPaths() {
        List<Case> out = new ArrayList<>();
        for (String field : List.of("load_model_dir", "model_dir", "data_path", "upload_dir", "init_config",
                "incumbent_dir", "wallet_path")) {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("NUL", "models\\u0000/x");
            values.put("newline", "models\\n../x");
            values.put("blank", "   ");
            values.put("empty", "");
            values.put("5000 characters", "d/".repeat(2500));
            values.forEach((what, v) -> out.add(run("bad paths", field + " " + what, "{\"" + field + "\": \"" + v + "\"}",
                    400, flag(field))));
        }
        return out;
    }

    static List<Case> badRepoIds() {
        List<Case> out = new ArrayList<>();
        for (String id : List.of("", "noslash", "a/b/c", "me/mo del", " me/model", "me/model ", "a/b", "me/",
                "/model", "me/" + "m".repeat(40), "-me/model", "me/-model", "me/model-", "me./model", ".me/model",
                "me/..", "../me", "me/.hidden", "me--x/model", "me/mo--del", "me/model.git", "me/m\u00f6del",
                "me/model\\u0000", "me\\\\model", "me/model?x", "me/mo%20del", "me/mo\\tdel", "me/mo..del",
                "..", "../../..", "me/\u202emodel")) {
            out.add(run("repo ids", "hf_repo_id '" + id + "'", "{\"offline\": true, \"hf_repo_id\": \"" + id + "\"}",
                    400, "--hf_repo_id"));
        }
        return out;
    }

    static List<Case> urlsAndQueries() {
        List<Case> out = new ArrayList<>();
        List<String> ids = new ArrayList<>(List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "nope",
                "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e", "a%00b", "%20", "x".repeat(1000),
                enc("'; DROP TABLE run; --"), enc("r\u00fcn"), enc("../runs"), "null", "0", "-1"));
        for (String id : ids) {
            String detail = "no run with id";
            out.add(get("urls and queries", "/api/runs/" + id, 404, detail));
            out.add(post("urls and queries", "resume " + abbreviated(id), "/api/runs/" + id + "/resume", "", 404, detail));
            out.add(post("urls and queries", "cancel " + abbreviated(id), "/api/runs/" + id + "/cancel", "", 404, detail));
        }
        for (String s : List.of("NOPE", "done", "1", "%00", "RUNNING,FAILED", "x".repeat(300), "%27", "SUCCEEDED%20")) {
            out.add(get("urls and queries", "/api/runs?status=" + s, 400, "status must be one of"));
        }
        for (String l : List.of("-1", "0", "501", "abc", "1.5", "99999999999999999999", "1e3", "0x10", "5%00")) {
            out.add(get("urls and queries", "/api/runs?limit=" + l, 400, "limit must be an integer in [1, 500]"));
        }
        out.add(get("urls and queries", "/api/runs?status=FAILED&limit=-5", 400, "limit must be"));
        out.add(get("urls and queries", "/api/runs?status=NOPE&limit=5", 400, "status must be one of"));
        for (String stage : StageNames.ORDER) {
            Set<String> variants = new java.util.LinkedHashSet<>(List.of(stage.toUpperCase(), stage.replace('-', '_'),
                    stage + "s", "x" + stage, enc(stage + "\u0000"), enc(" " + stage)));
            variants.removeAll(StageNames.ORDER);
            for (String v : variants) {
                out.add(post("urls and queries", "stage " + v, "/api/stages/" + v, "{}", 404, "no stage"));
            }
        }
        for (String v : List.of("deploy", enc("../gate"), "pipeline", "runs", "x".repeat(500))) {
            out.add(post("urls and queries", "stage " + abbreviated(v), "/api/stages/" + v, "{}", 404, "no stage"));
        }
        out.add(post("urls and queries", "gate without metric", "/api/stages/gate", "{}", 400, "missing \"metric\""));
        out.add(post("urls and queries", "gate with threshold only", "/api/stages/gate",
                "{\"avg_loss_upload_threshold\": 0.5}", 400, "missing \"metric\""));
        out.add(post("urls and queries", "gate metric string", "/api/stages/gate", "{\"metric\": \"0.1\"}", 400,
                "field 'metric' has the wrong type"));
        out.add(post("urls and queries", "gate metric 1e400", "/api/stages/gate", "{\"metric\": 1e400}", 400,
                "metric must be a finite number"));
        out.add(post("urls and queries", "upload without dir", "/api/stages/upload", "{}", 400,
                "missing \"upload_dir\""));
        out.add(post("urls and queries", "upload with repo only", "/api/stages/upload",
                "{\"hf_repo_id\": \"me/model\"}", 400, "missing \"upload_dir\""));
        out.add(post("urls and queries", "commit alone", "/api/stages/commit", "{}", 400,
                "cannot run alone: it needs the outputs of upload"));
        out.add(post("urls and queries", "stage with bad body", "/api/stages/fetch-data", "{\"data_limit\": 0}", 400,
                "--data_limit"));
        out.add(run("urls and queries", "blank Idempotency-Key", "{\"offline\": true}", 400, "Idempotency-Key")
                .header("Idempotency-Key", " "));
        out.add(run("urls and queries", "long Idempotency-Key", "{\"offline\": true}", 400, "Idempotency-Key")
                .header("Idempotency-Key", "k".repeat(151)));
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml",
                "multipart/form-data; boundary=x", "text/html")) {
            out.add(new Case("urls and queries", "Content-Type " + type, "POST", "/api/runs",
                    "{\"offline\": true}".getBytes(StandardCharsets.UTF_8), type, Map.of(), 415,
                    "Content-Type: application/json"));
        }
        for (String[] m : new String[][] {{"GET", "/api/nope"}, {"GET", "/api/runs/a/b"}, {"GET", "/api"},
                {"GET", "/index.php"}, {"POST", "/api/stages/%2E%2E"}, {"GET", "/api/runs/%2e%2e/%2e%2e/etc"},
                {"POST", "/api/runs/x/delete"}, {"GET", "/api/stages"}, {"GET", "/api/runs/" + "y".repeat(3000) + "/z"}}) {
            out.add(new Case("urls and queries", m[0] + " " + abbreviated(m[1]), m[0], m[1], new byte[0], null,
                    Map.of(), 404, "no API path"));
        }
        for (String[] m : new String[][] {{"DELETE", "/api/runs"}, {"PUT", "/api/runs"}, {"PATCH", "/api/runs/x"},
                {"DELETE", "/api/runs/x"}, {"GET", "/api/runs/x/resume"}, {"PUT", "/api/stages/gate"}}) {
            out.add(new Case("urls and queries", m[0] + " " + m[1], m[0], m[1], new byte[0], null, Map.of(), 405,
                    m[0] + " is not allowed"));
        }
        return out;
    }

    /** Positions between JSON tokens (not inside a string) after the first character. */
    private static List<Integer> structuralPositions(String json) {
        List<Integer> out = new ArrayList<>();
        boolean inString = false;
        for (int i = 1; i < json.length(); i++) {
            char prev = json.charAt(i - 1);
            if (prev == '"') inString = !inString;
            if (!inString && (prev == ',' || prev == ':' || prev == '{' || prev == '"' || prev == ' '
                    || json.charAt(i) == '}' || json.charAt(i) == ',')) {
                out.add(i);
            }
        }
        return out;
    }

    private static String camel(String s) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : s.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String abbreviated(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40);
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x));
        return s.toString();
    }
}
