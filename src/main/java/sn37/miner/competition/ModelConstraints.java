package sn37.miner.competition;

import java.util.List;

/**
 * What a model must satisfy to be evaluated in a competition (taoverse ModelConstraints).
 *
 * @param minParams 0 when the competition has no lower bound
 * @param tokenizer HF repo of the fixed tokenizer, or null when any tokenizer shipped in the model
 *     repo is accepted
 * @param evalBlockDelay blocks between the commit block and the first evaluation
 */
public record ModelConstraints(
        long maxParams,
        long minParams,
        int sequenceLength,
        List<String> allowedArchitectures,
        String tokenizer,
        String torchDtype,
        long evalBlockDelay,
        LinearDecay epsilon,
        long maxBytes,
        NormLimits normValidation) {

    static final long GIB = 1024L * 1024 * 1024;
    static final long BLOCKS_PER_DAY = 7_200; // 12 s blocks

    public ModelConstraints {
        if (minParams < 0 || maxParams < minParams) {
            throw new IllegalArgumentException(
                    "params range [" + minParams + ", " + maxParams + "] is empty");
        }
        allowedArchitectures = List.copyOf(allowedArchitectures);
    }

    public boolean allowsParams(long params) {
        return params >= minParams && params <= maxParams;
    }

    public boolean allowsArchitecture(String architecture) {
        return allowedArchitectures.contains(architecture);
    }

    private static final List<String> B7_ARCHS =
            List.of(
                    "MistralForCausalLM",
                    "LlamaForCausalLM",
                    "BartForCausalLM",
                    "FalconForCausalLM",
                    "GPTNeoXForCausalLM",
                    "PhiForCausalLM",
                    "GemmaForCausalLM");

    // Same set as B7 plus Gemma2/Phi3, in the order of constants/__init__.py @afd44037.
    private static final List<String> INSTRUCT_ARCHS =
            List.of(
                    "BartForCausalLM",
                    "FalconForCausalLM",
                    "Gemma2ForCausalLM",
                    "GemmaForCausalLM",
                    "GPTNeoXForCausalLM",
                    "LlamaForCausalLM",
                    "MistralForCausalLM",
                    "Phi3ForCausalLM",
                    "PhiForCausalLM");

    /** B7_MULTI_CHOICE as of constants/__init__.py @8e2b0cbb (eval delay 1200 ≈ 4 h). */
    public static final ModelConstraints B7_OCT_2024 = b7(1_200);

    /** B7_MULTI_CHOICE at HEAD @afd44037: eval delay SYNC_BLOCK_CADENCE 360 + 100. */
    public static final ModelConstraints B7_HEAD = b7(460);

    /** INSTRUCT_8B @afd44037: bring-your-own tokenizer. */
    public static final ModelConstraints INSTRUCT_8B =
            new ModelConstraints(
                    8_100_000_000L,
                    0,
                    4096,
                    INSTRUCT_ARCHS,
                    null,
                    "bfloat16",
                    1_600,
                    new LinearDecay(0.05, 0.01, BLOCKS_PER_DAY),
                    20 * GIB,
                    NormLimits.SN37);

    /** DISTILLED_REASONING_3B @afd44037. */
    public static final ModelConstraints DISTILLED_REASONING_3B =
            new ModelConstraints(
                    3_400_000_000L,
                    3_200_000_000L,
                    16_384,
                    INSTRUCT_ARCHS,
                    "Xenova/gpt-4",
                    "bfloat16",
                    460,
                    new LinearDecay(0.05, 0.01, 3 * BLOCKS_PER_DAY),
                    15 * GIB,
                    NormLimits.SN37);

    private static ModelConstraints b7(long evalBlockDelay) {
        return new ModelConstraints(
                6_900_000_000L,
                0,
                4096,
                B7_ARCHS,
                "Xenova/gpt-4",
                "bfloat16",
                evalBlockDelay,
                new LinearDecay(0.05, 0.01, 5 * BLOCKS_PER_DAY),
                15 * GIB,
                NormLimits.SN37);
    }
}
