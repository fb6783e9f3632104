package sn37.miner.train.torch;

import java.nio.file.Path;

/**
 * The files of one PyTorch training job (trainer/README.md): what the orchestrator writes (job.json, the
 * examples), what the trainer writes (progress, checkpoints, the result) and the stop file between them. One per
 * run: every job of the run uses it, so a new job resumes from the checkpoints of the one before.
 */
public record JobDir(Path dir) {
    public static final String JOB = "job.json";
    public static final String EXAMPLES = "examples.jsonl";
    public static final String PROGRESS = "progress.jsonl";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String RESULT_DIR = "final";
    public static final String STOP = "STOP";
    public static final String LOG = "train.log";
    /** Where the start model is copied when the job runs on other machines. */
    public static final String START_MODEL = "start-model";

    public Path job() {
        return dir.resolve(JOB);
    }

    public Path examples() {
        return dir.resolve(EXAMPLES);
    }

    public Path progress() {
        return dir.resolve(PROGRESS);
    }

    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    public Path resultDir() {
        return dir.resolve(RESULT_DIR);
    }

    /** result.json: written last, with the final weights, when the trainer ended cleanly. */
    public Path result() {
        return resultDir().resolve("result.json");
    }

    /** The best weights (lowest epoch loss), HF names, in the save dtype; absent when no epoch ended. */
    public Path finalModel() {
        return resultDir().resolve("model.safetensors");
    }

    public Path stopFile() {
        return dir.resolve(STOP);
    }

    public Path log() {
        return dir.resolve(LOG);
    }
}
