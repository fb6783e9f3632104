package sn37.miner.eval;

import java.util.Locale;
import sn37.miner.competition.CompetitionId;
import sn37.miner.model.HalfFloats;

/**
 * The precision of the arithmetic on logits, as the competition's validators run it (the model itself is
 * loaded in bfloat16 either way, so its logits are bf16 values).
 *
 * <ul>
 *   <li>{@link #FLOAT32}: transformers 4.44.1, pinned by finetuning from Aug 2024 to Feb 2025. Its
 *       {@code LlamaForCausalLM.forward} ends with {@code logits = logits.float()} (removed by transformers PR
 *       #33902 for 4.46, after #31292 made it conditional in 4.45), so the loss tasks' {@code CrossEntropyLoss}
 *       runs in float32.
 *   <li>{@link #BFLOAT16}: transformers ≥ 4.46 (finetuning pins 4.48.3 from 2025-02-11): logits stay bf16 when no
 *       labels are passed, so {@code CrossEntropyLoss} runs on bf16 logits: log-softmax is accumulated in float
 *       but written as bf16, and the mean is written as bf16. Emulated by rounding logits, each log-probability
 *       and the mean to bf16 (round to nearest even). Generation is unaffected: {@code generate} upcasts the
 *       last position's logits to float in every version, so only the bf16 rounding of the logits applies.
 * </ul>
 */
public enum EvalDtype {
    FLOAT32,
    BFLOAT16;

    /** Parses {@code --eval_dtype}; null means {@link #defaultFor}. */
    public static EvalDtype parse(String value, CompetitionId competition) {
        if (value == null) return defaultFor(competition);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "float32" -> FLOAT32;
            case "bfloat16" -> BFLOAT16;
            default -> throw new IllegalArgumentException("--eval_dtype must be float32 or bfloat16 (got '" + value + "')");
        };
    }

    /**
     * B7_MULTI_CHOICE was scored with transformers 4.44.1 until its sunset (2025-01-04): float32. INSTRUCT_8B and
     * DISTILLED_REASONING_3B are scored by HEAD validators, on transformers 4.48.3: bfloat16.
     */
    public static EvalDtype defaultFor(CompetitionId competition) {
        return switch (competition) {
            case INSTRUCT_8B, DISTILLED_REASONING_3B -> BFLOAT16;
            default -> FLOAT32;
        };
    }

    /** A logit as the validators' arithmetic sees it. */
    public float logit(float value) {
        return this == BFLOAT16 ? roundBf16(value) : value;
    }

    /** Rounds every logit of the row in place ({@link #logit}). */
    public void roundLogits(float[] row) {
        if (this == FLOAT32) return;
        for (int i = 0; i < row.length; i++) row[i] = roundBf16(row[i]);
    }

    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static float roundBf16(float value) {
        return HalfFloats.bf16ToF32(HalfFloats.f32ToBf16(value));
    }
}
