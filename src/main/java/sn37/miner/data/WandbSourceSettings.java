package sn37.miner.data;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;

/**
 * How the W&B source scans SN1 validator runs. Defaults follow finetuning @8e2b0cbb
 * ({@code prompting_subset_loader.py}, {@code neurons/validator.py}, {@code constants/__init__.py}).
 *
 * @param mode {@link Mode#HISTORIC} (the miner's way: runs created after a seeded random date) or
 *     {@link Mode#LATEST} (the validators' way: running runs, newest steps, rows at most {@code maxAge} old)
 * @param project {@code entity/project}, {@code macrocosmos/prompting-validators}
 * @param steps steps scanned per run ({@code --latest_prompting_steps} 500)
 * @param pageSize steps per {@code sampledHistory} page (the validator passes {@code steps})
 * @param maxAge rows older than this are dropped; null: {@code PROMPTING_MAX_AGE} (4 h) in latest mode, no limit
 *     in historic mode, whose runs are over a day old by design
 * @param target samples to collect ({@code --latest_prompting_samples} 400); {@code --data_limit} overrides it
 * @param loadAttempts tries of the whole load ({@code retry_limit=10})
 * @param loadRetryWait wait between them ({@code retry_delay = 5})
 * @param earliest the first day historic mode may pick ({@code EARLIEST_DATE}, 2024-08-29 UTC)
 */
public record WandbSourceSettings(Mode mode, String project, int steps, int pageSize, Duration maxAge, int target,
        int loadAttempts, Duration loadRetryWait, LocalDate earliest) {

    public enum Mode { HISTORIC, LATEST }

    public static final String PROJECT = "macrocosmos/prompting-validators";
    static final Duration LATEST_MAX_AGE = Duration.ofHours(4);

    public WandbSourceSettings {
        Objects.requireNonNull(mode, "mode");
        if (project == null || !project.matches("[\\w.-]+/[\\w.-]+")) {
            throw new IllegalArgumentException("W&B project must be entity/project, got '" + project + "'");
        }
        if (steps < 1 || pageSize < 1 || target < 1 || loadAttempts < 1) {
            throw new IllegalArgumentException("W&B source steps, pageSize, target and loadAttempts must be >= 1");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("W&B source maxAge must be positive, got " + maxAge);
        }
    }

    public static WandbSourceSettings defaults() {
        return new WandbSourceSettings(Mode.HISTORIC, PROJECT, 500, 500, null, 400, 10, Duration.ofSeconds(5),
                LocalDate.of(2024, 8, 29));
    }

    public WandbSourceSettings withMode(Mode m) {
        return new WandbSourceSettings(m, project, steps, pageSize, maxAge, target, loadAttempts, loadRetryWait,
                earliest);
    }

    public WandbSourceSettings withSteps(int s, int page) {
        return new WandbSourceSettings(mode, project, s, page, maxAge, target, loadAttempts, loadRetryWait, earliest);
    }

    public WandbSourceSettings withTarget(int t) {
        return new WandbSourceSettings(mode, project, steps, pageSize, maxAge, t, loadAttempts, loadRetryWait,
                earliest);
    }

    public WandbSourceSettings withMaxAge(Duration age) {
        return new WandbSourceSettings(mode, project, steps, pageSize, age, target, loadAttempts, loadRetryWait,
                earliest);
    }

    /** The age limit in effect, or null for none. */
    Duration effectiveMaxAge() {
        return maxAge != null ? maxAge : mode == Mode.LATEST ? LATEST_MAX_AGE : null;
    }

    String entity() {
        return project.substring(0, project.indexOf('/'));
    }

    String projectName() {
        return project.substring(project.indexOf('/') + 1);
    }
}
