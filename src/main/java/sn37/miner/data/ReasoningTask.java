package sn37.miner.data;

/**
 * The two tasks of DISTILLED_REASONING_3B and how validators sample their rows (finetuning @afd44037:
 * {@code constants/__init__.py} COMPETITION_SCHEDULE_BY_BLOCK, {@code finetune/datasets/hugging_face/
 * hugging_face_loader.py} {@code Synthetic1SFTLoader} and {@code CodeforcesCOTSLoader}).
 *
 * <p>Pages: validators pick a config at random and a page start {@code offset + k × pageStride} (their
 * {@code num_rows_per_page}: 150 and 120), and ask {@code /rows} with {@code limit=}; the viewer reads {@code length}
 * (default and maximum 100, libapi {@code request.py}) and ignores {@code limit}, so each page they score holds 100
 * rows. SYNTHETIC_1_SFT keeps pages coming until 120 rows pass its filter ({@code target_size}; its doubling re-fetch
 * allows at most 1 + 111 pages); CODEFORCES_COTS scores the rows of one page that pass.
 *
 * @param dataset the Hugging Face dataset id
 * @param pageStride validators' {@code num_rows_per_page}: the spacing of page starts
 * @param evalTarget rows the evaluation split holds at most
 * @param evalPages pages the evaluation split is drawn from at most
 */
public enum ReasoningTask {
    SYNTHETIC_1_SFT("PrimeIntellect/SYNTHETIC-1-SFT-Data", 150, 120, 112),
    CODEFORCES_COTS("open-r1/codeforces-cots", 120, DatasetViewerClient.MAX_PAGE, 1);

    /**
     * The system turn of both tasks' prompts, verbatim from {@code Synthetic1SFTLoader.tokenize} and
     * {@code CodeforcesCOTSLoader.tokenize}: a model is scored on the reference after exactly this prompt.
     */
    public static final String SYSTEM_PROMPT = "You are a reflective AI capable of using extended chains of thought"
            + " to consider the problem thoroughly and deliberate through systematic reasoning to arrive at a correct"
            + " solution before answering. Enclose your internal monologue in <think> ... </think> tags, then"
            + " provide your final answer in the format that the user requests.";

    private final String dataset;
    private final int pageStride;
    private final int evalTarget;
    private final int evalPages;

    ReasoningTask(String dataset, int pageStride, int evalTarget, int evalPages) {
        this.dataset = dataset;
        this.pageStride = pageStride;
        this.evalTarget = evalTarget;
        this.evalPages = evalPages;
    }

    public String dataset() {
        return dataset;
    }

    public int pageStride() {
        return pageStride;
    }

    public int evalTarget() {
        return evalTarget;
    }

    public int evalPages() {
        return evalPages;
    }

    /** The task named as in the competition's eval tasks, or null. */
    public static ReasoningTask named(String name) {
        for (ReasoningTask t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
