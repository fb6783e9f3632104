package sn37.miner.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.crypto.Sr25519Keypair;

/**
 * One SN1 validator run in {@link FakeWandb}: its id ({@code name}), state, creation and update times, config
 * (stored unwrapped, served as W&B's {@code {"value": v}} JSON string) and history rows, either stored or generated
 * per step so that a large history costs no memory.
 */
public final class FakeWandbRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    String state = "running";
    Instant createdAt = Instant.parse("2024-10-01T12:00:00Z");
    Instant updatedAt = Instant.parse("2024-10-01T13:00:00Z");
    final Map<String, Object> config = new LinkedHashMap<>();
    final TreeMap<Long, ObjectNode> rows = new TreeMap<>();
    LongFunction<ObjectNode> generator;
    long generatedLastStep = -1;

    public FakeWandbRun(String name) {
        this.name = name;
    }

    /** A run whose config has the key's hotkey and its signature over the run id, as SN1 validators log. */
    public static FakeWandbRun signedBy(Sr25519Keypair key, String name) {
        FakeWandbRun run = new FakeWandbRun(name);
        run.config.put("HOTKEY_SS58", Ss58.encode(key.publicKey()));
        run.config.put("NETUID", 1);
        run.config.put("SIGNATURE", HexFormat.of().formatHex(key.sign(name.getBytes(StandardCharsets.UTF_8))));
        return run;
    }

    public FakeWandbRun state(String s) {
        this.state = s;
        return this;
    }

    public FakeWandbRun createdAt(Instant t) {
        this.createdAt = t;
        return this;
    }

    public FakeWandbRun updatedAt(Instant t) {
        this.updatedAt = t;
        return this;
    }

    public FakeWandbRun config(String key, Object value) {
        config.put(key, value);
        return this;
    }

    /** A stored history row at {@code step}; {@code _step} is added. */
    public FakeWandbRun row(long step, ObjectNode row) {
        ObjectNode copy = row.deepCopy();
        copy.put("_step", step);
        rows.put(step, copy);
        return this;
    }

    /** A multiple-choice row as SN1 logs it. */
    public FakeWandbRun mcRow(long step, double timestamp, String challenge, String reference) {
        ObjectNode r = JSON.createObjectNode();
        r.put("_timestamp", timestamp);
        r.put("task", "multi_choice");
        r.put("challenge", challenge);
        r.put("reference", reference);
        r.putArray("MultiChoiceRewardModel_rewards").add(1.0).add(0.0);
        return row(step, r);
    }

    /** Rows 0..lastStep made on demand by {@code rowAt} (null: no row at that step). */
    public FakeWandbRun generated(long lastStep, LongFunction<ObjectNode> rowAt) {
        this.generatedLastStep = lastStep;
        this.generator = rowAt;
        return this;
    }

    public String name() {
        return name;
    }

    public String hotkey() {
        return (String) config.get("HOTKEY_SS58");
    }

    long lastStep() {
        long stored = rows.isEmpty() ? -1 : rows.lastKey();
        return Math.max(stored, generatedLastStep);
    }

    ObjectNode rowAt(long step) {
        ObjectNode r = rows.get(step);
        if (r == null && generator != null && step <= generatedLastStep) {
            r = generator.apply(step);
            if (r != null) {
                r.put("_step", step);
            }
        }
        return r;
    }

    String configJson() {
        ObjectNode root = JSON.createObjectNode();
        config.forEach((k, v) -> {
            ObjectNode entry = root.putObject(k);
            entry.set("value", JSON.valueToTree(v));
            entry.putNull("desc");
        });
        root.putObject("_wandb").putObject("value");
        return root.toString();
    }
}
