package sn37.miner.train.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import sn37.miner.model.CheckpointFormatException;
import sn37.miner.model.llama.UnsupportedModelException;
import sn37.miner.train.plan.PlanRequest.Backend;
import sn37.miner.train.plan.PlanRequest.Device;
import sn37.miner.train.plan.PlanRequest.Precision;

/**
 * Prints the memory plan of one training set-up as one JSON line (bench/gpu compares it with the peak it
 * measures). Bad arguments: one line starting {@code error:} on stderr, exit 2.
 * <pre>
 *   java -cp ... sn37.miner.train.plan.PlanMain model/config.json --sequence-length 16384 --batch 1 \
 *       [--world-size 1] [--lora-rank 0] [--fsdp true] [--checkpointing true] [--dtype bfloat16|float32] \
 *       [--trainer torch|djl] [--device cuda|cpu] [--loss-tokens 0] [--device-bytes N|auto]
 * </pre>
 * {@code --device-bytes auto} asks nvidia-smi (cuda) or /proc/meminfo (cpu); with device bytes the line
 * also says whether the plan fits, the refusal {@link MemoryPlanner#check} would give, and the longest
 * sequence the DJL trainer fits at batch 1 (full and LoRA rank 16).
 */
public final class PlanMain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanMain() {
    }

    public static void main(String[] args) {
        try {
            System.out.println(JSON.writeValueAsString(run(args)));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    static ObjectNode run(String[] args) throws IOException {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException("usage: PlanMain <config.json> [--sequence-length N] [--batch N]"
                    + " [--world-size N] [--lora-rank N] [--fsdp true|false] [--checkpointing true|false]"
                    + " [--dtype bfloat16|float32] [--trainer torch|djl] [--device cuda|cpu] [--loss-tokens N]"
                    + " [--device-bytes N|auto]");
        }
        Map<String, String> flags = flags(args);
        ModelShape model;
        try {
            model = ModelShape.read(Path.of(args[0]));
        } catch (CheckpointFormatException | UnsupportedModelException e) {
            throw new IllegalArgumentException(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no config.json at " + args[0]);
        }
        Backend backend = choice(flags, "--trainer", "torch", Backend.class);
        Precision precision = switch (flags.getOrDefault("--dtype", backend == Backend.DJL ? "float32" : "bfloat16")) {
            case "bfloat16" -> Precision.BF16_MIXED;
            case "float32" -> Precision.FP32;
            default -> throw new IllegalArgumentException("--dtype must be bfloat16 or float32");
        };
        boolean djl = backend == Backend.DJL;
        PlanRequest request = new PlanRequest(model, positive(flags, "--sequence-length", 2048),
                positive(flags, "--batch", 1), positive(flags, "--world-size", 1), count(flags, "--lora-rank", 0),
                bool(flags, "--fsdp", !djl), bool(flags, "--checkpointing", !djl), precision, backend,
                choice(flags, "--device", "cuda", Device.class), count(flags, "--loss-tokens", 0));
        MemoryPlan plan = MemoryPlanner.plan(request);

        ObjectNode out = JSON.createObjectNode();
        out.put("plan", request.describe());
        out.put("parameters", plan.parameters());
        out.put("trainable_parameters", plan.trainableParameters());
        out.put("weights_bytes", plan.weights());
        out.put("gradients_bytes", plan.gradients());
        out.put("optimizer_bytes", plan.optimizer());
        out.put("activations_bytes", plan.activations());
        out.put("logits_bytes", plan.logits());
        out.put("optimizer_step_bytes", plan.stepScratch());
        out.put("overhead_bytes", plan.overhead());
        out.put("total_bytes", plan.total());
        out.put("tensors_bytes", plan.total() - plan.overhead());
        OptionalLong deviceBytes = deviceBytes(flags.get("--device-bytes"), request);
        if (deviceBytes.isEmpty()) {
            out.putNull("device_bytes");
            return out;
        }
        long bytes = deviceBytes.getAsLong();
        out.put("device_bytes", bytes);
        try {
            MemoryPlanner.check(plan, bytes);
            out.put("fits", true);
            out.putNull("refusal");
        } catch (PlanTooLargeException e) {
            out.put("fits", false);
            out.put("refusal", e.getMessage());
        }
        ObjectNode djlLongest = out.putObject("djl_max_sequence_length");
        djlLongest.put("full", MemoryPlanner.largestDjlSequenceLength(model, 0, bytes));
        djlLongest.put("lora_" + Alternatives.LORA_RANK,
                MemoryPlanner.largestDjlSequenceLength(model, Alternatives.LORA_RANK, bytes));
        return out;
    }

    private static OptionalLong deviceBytes(String value, PlanRequest request) {
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value.equals("auto")) {
            return request.device() == Device.CUDA ? DeviceMemory.cuda() : DeviceMemory.cpu(request.worldSize());
        }
        if (!value.matches("[0-9]{1,19}") || value.length() == 19 && value.compareTo("9223372036854775807") > 0) {
            throw new IllegalArgumentException("--device-bytes must be a byte count or auto");
        }
        return OptionalLong.of(Long.parseLong(value));
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --flag value pairs after the config.json path, at"
                        + " argument " + (i + 1));
            }
            if (!java.util.Set.of("--sequence-length", "--batch", "--world-size", "--lora-rank", "--fsdp",
                    "--checkpointing", "--dtype", "--trainer", "--device", "--loss-tokens", "--device-bytes")
                    .contains(args[i])) {
                throw new IllegalArgumentException("unknown flag at argument " + (i + 1) + "; see the usage line");
            }
            flags.put(args[i], args[i + 1]);
        }
        return flags;
    }

    private static int positive(Map<String, String> flags, String name, int fallback) {
        int value = count(flags, name, fallback);
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1");
        }
        return value;
    }

    private static int count(Map<String, String> flags, String name, int fallback) {
        String value = flags.get(name);
        if (value == null) {
            return fallback;
        }
        if (!value.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException(name + " must be a whole number below 10^9");
        }
        return Integer.parseInt(value);
    }

    private static boolean bool(Map<String, String> flags, String name, boolean fallback) {
        String value = flags.getOrDefault(name, String.valueOf(fallback));
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(name + " must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static <E extends Enum<E>> E choice(Map<String, String> flags, String name, String fallback,
            Class<E> type) {
        String value = flags.getOrDefault(name, fallback);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(name + " must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }
}
