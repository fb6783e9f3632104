package sn37.miner.run;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Durable run state. Every state change is a conditional update, so two processes or threads cannot
 * both move the same run or claim the same stage: the loser sees 0 rows changed.
 */
public class RunStore {
    private static final String RUN_COLS = "id, kind, run_key, trigger_source, params_json, status, attempt,"
            + " cancel_requested, failed_stage, last_error, auto_retries, next_retry_at, created_at, started_at,"
            + " ended_at, version, failure_kind";
    private static final String STAGE_COLS = "id, run_id, stage, attempt, status, owner, outputs_json, error,"
            + " started_at, ended_at, heartbeat_at, version";

    private final Sql sql;
    private final Clock clock;

    public RunStore(DataSource ds, Clock clock) {
        this.sql = new Sql(ds);
        this.clock = clock;
    }

    public RunStore(DataSource ds) {
        this(ds, Clock.systemUTC());
    }

    /** Result of {@link #createRun}: the run, and whether this call created it or found it by its key. */
    public record Created(Run run, boolean created) {}

    /**
     * Writes a QUEUED run. With a {@code runKey}, a second call with the same key returns the first run
     * instead of creating another (a double-fired schedule or a retried POST).
     */
    public Created createRun(String kind, String paramsJson, String trigger, String runKey) {
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        try {
            return sql.inTransaction(c -> {
                Sql.update(c, "INSERT INTO run (id, kind, run_key, trigger_source, params_json, status, attempt,"
                                + " created_at, version) VALUES (?, ?, ?, ?, ?, 'QUEUED', 1, ?, 0)",
                        id, kind, runKey, trigger, paramsJson, now);
                return new Created(get(c, id), true);
            });
        } catch (RunStoreException e) {
            if (runKey != null && e.getCause() instanceof SQLException s && Sql.isDuplicateKey(s)) {
                Run existing = sql.queryOne("SELECT " + RUN_COLS + " FROM run WHERE run_key = ?", RunStore::run, runKey)
                        .orElseThrow(() -> e);
                return new Created(existing, false);
            }
            throw e;
        }
    }

    public Optional<Run> find(String runId) {
        return sql.queryOne("SELECT " + RUN_COLS + " FROM run WHERE id = ?", RunStore::run, runId);
    }

    /** The run created with {@code runKey} (an Idempotency-Key, a schedule slot), if any. */
    public Optional<Run> findByKey(String runKey) {
        return sql.queryOne("SELECT " + RUN_COLS + " FROM run WHERE run_key = ?", RunStore::run, runKey);
    }

    public Run get(String runId) {
        return find(runId).orElseThrow(() -> new RunNotFoundException(runId));
    }

    private static Run get(Connection c, String runId) throws SQLException {
        List<Run> rows = Sql.query(c, "SELECT " + RUN_COLS + " FROM run WHERE id = ?", RunStore::run, runId);
        if (rows.isEmpty()) throw new RunNotFoundException(runId);
        return rows.get(0);
    }

    /** Newest first; {@code status} null means any. */
    public List<Run> list(RunStatus status, int limit) {
        if (status == null) {
            return sql.query("SELECT " + RUN_COLS + " FROM run ORDER BY created_at DESC, id LIMIT ?", RunStore::run, limit);
        }
        return sql.query("SELECT " + RUN_COLS + " FROM run WHERE status = ? ORDER BY created_at DESC, id LIMIT ?",
                RunStore::run, status, limit);
    }

    /** QUEUED → RUNNING. False when another consumer got there first or the run was cancelled. */
    public boolean claimRun(String runId) {
        return sql.update("UPDATE run SET status = 'RUNNING', started_at = ?, ended_at = NULL, version = version + 1"
                + " WHERE id = ? AND status = 'QUEUED'", clock.instant(), runId) == 1;
    }

    /**
     * FAILED or CANCELLED → QUEUED with the next attempt number. SUCCEEDED and REJECTED runs are final, and a
     * QUEUED or RUNNING run is already on its way: both are conflicts. Of two concurrent resumes, one wins.
     */
    public Run resume(String runId, boolean byRetrySweeper) {
        Run run = get(runId);
        if (!run.status().isResumable()) {
            throw new RunConflictException(switch (run.status()) {
                case SUCCEEDED -> "run " + runId + " already SUCCEEDED: there is nothing to resume";
                case REJECTED -> "run " + runId + " was REJECTED by the gate: start a new run instead";
                default -> "run " + runId + " is already " + run.status() + ": wait for it to finish";
            });
        }
        int changed = sql.update("UPDATE run SET status = 'QUEUED', attempt = attempt + 1, cancel_requested = FALSE,"
                        + " failure_kind = NULL, auto_retries = auto_retries + ?, next_retry_at = NULL, ended_at = NULL,"
                        + " version = version + 1 WHERE id = ? AND version = ? AND status = ?",
                byRetrySweeper ? 1 : 0, runId, run.version(), run.status());
        if (changed == 0) {
            throw new RunConflictException("run " + runId + " changed while resuming (another resume won): "
                    + "it is now " + get(runId).status());
        }
        return get(runId);
    }

    /** A QUEUED run is cancelled at once; a RUNNING one stops before its next stage. */
    public Run requestCancel(String runId) {
        Run run = get(runId);
        int changed = switch (run.status()) {
            case QUEUED -> sql.update("UPDATE run SET status = 'CANCELLED', ended_at = ?, version = version + 1"
                    + " WHERE id = ? AND status = 'QUEUED'", clock.instant(), runId);
            case RUNNING -> sql.update("UPDATE run SET cancel_requested = TRUE, version = version + 1"
                    + " WHERE id = ? AND status = 'RUNNING'", runId);
            default -> throw new RunConflictException("run " + runId + " is " + run.status() + ": only a QUEUED or"
                    + " RUNNING run can be cancelled");
        };
        if (changed == 0) throw new RunConflictException("run " + runId + " changed while cancelling: try again");
        return get(runId);
    }

    /** RUNNING → a final status of this attempt. {@code nextRetryAt} is set only for sweeper-retryable failures. */
    public void finishRun(String runId, RunStatus status, String failedStage, String error, Instant nextRetryAt) {
        finishRun(runId, status, failedStage, error, nextRetryAt, null);
    }

    /** As above, with whether a failure is {@link FailureKind#TRANSIENT} (the sweeper may resume it) or not. */
    public void finishRun(String runId, RunStatus status, String failedStage, String error, Instant nextRetryAt,
            FailureKind kind) {
        int changed = sql.update("UPDATE run SET status = ?, failed_stage = ?, last_error = ?, next_retry_at = ?,"
                        + " failure_kind = ?, ended_at = ?, version = version + 1 WHERE id = ? AND status = 'RUNNING'",
                status, failedStage, error, nextRetryAt, kind == null ? null : kind.name(), clock.instant(), runId);
        if (changed == 0) {
            throw new RunConflictException("run " + runId + " is no longer RUNNING: cannot mark it " + status);
        }
    }

    /**
     * At start-up no stage can be running: whatever the database says is RUNNING belonged to a process that
     * died. Those stages and runs become FAILED("interrupted") and can be resumed.
     */
    public List<String> recoverInterrupted() {
        Instant now = clock.instant();
        return sql.inTransaction(c -> {
            List<String> ids = Sql.query(c, "SELECT id FROM run WHERE status = 'RUNNING'", rs -> rs.getString(1));
            Sql.update(c, "UPDATE stage_execution SET status = 'FAILED', error = 'interrupted', ended_at = ?,"
                    + " version = version + 1 WHERE status = 'RUNNING'", now);
            for (String id : ids) {
                String stage = Sql.query(c, "SELECT stage FROM stage_execution WHERE run_id = ? AND status = 'FAILED'"
                        + " ORDER BY id DESC LIMIT 1", rs -> rs.getString(1), id).stream().findFirst().orElse(null);
                Sql.update(c, "UPDATE run SET status = 'FAILED', last_error = 'interrupted', failed_stage = ?,"
                        + " ended_at = ?, version = version + 1 WHERE id = ? AND status = 'RUNNING'", stage, now, id);
            }
            return ids;
        });
    }

    /** Runs waiting in the queue, oldest first (the in-memory queue does not survive a restart). */
    public List<String> queuedRunIds() {
        return sql.query("SELECT id FROM run WHERE status = 'QUEUED' ORDER BY created_at, id", rs -> rs.getString(1));
    }

    /**
     * FAILED runs whose failed stage is one of {@code stages}, whose failure is not {@link FailureKind#PERMANENT},
     * with retry budget left and backoff elapsed.
     */
    public List<Run> dueForRetry(Collection<String> stages, int maxAutoRetries) {
        if (stages.isEmpty()) return List.of();
        String in = String.join(",", stages.stream().map(s -> "?").toList());
        Object[] params = new Object[stages.size() + 2];
        int i = 0;
        for (String s : stages) params[i++] = s;
        params[i++] = maxAutoRetries;
        params[i] = clock.instant();
        return sql.query("SELECT " + RUN_COLS + " FROM run WHERE status = 'FAILED' AND failed_stage IN (" + in + ")"
                + " AND (failure_kind IS NULL OR failure_kind <> 'PERMANENT')"
                + " AND auto_retries < ? AND (next_retry_at IS NULL OR next_retry_at <= ?) ORDER BY created_at",
                RunStore::run, params);
    }

    // ---- stages -------------------------------------------------------------------------------------------

    public List<StageExecution> stages(String runId) {
        return sql.query("SELECT " + STAGE_COLS + " FROM stage_execution WHERE run_id = ? ORDER BY id",
                RunStore::stage, runId);
    }

    /** The most recent attempt of {@code stage} in this run, if any. */
    public Optional<StageExecution> latestStage(String runId, String stage) {
        return sql.queryOne("SELECT " + STAGE_COLS + " FROM stage_execution WHERE run_id = ? AND stage = ?"
                + " ORDER BY attempt DESC, id DESC LIMIT 1", RunStore::stage, runId, stage);
    }

    public int countStarts(String runId, String stage) {
        return sql.queryOne("SELECT COUNT(*) FROM stage_execution WHERE run_id = ? AND stage = ? AND status <> 'SKIPPED'",
                rs -> rs.getInt(1), runId, stage).orElse(0);
    }

    /**
     * Claims {@code stage} for this attempt of the run: inserts its RUNNING row. Empty when the row already
     * exists (someone else owns this stage of this attempt) or the run is not RUNNING any more.
     */
    public Optional<StageExecution> claimStage(String runId, String stage, int attempt, String owner) {
        Instant now = clock.instant();
        try {
            return sql.inTransaction(c -> {
                int runOk = Sql.query(c, "SELECT COUNT(*) FROM run WHERE id = ? AND status = 'RUNNING' AND attempt = ?",
                        rs -> rs.getInt(1), runId, attempt).get(0);
                if (runOk == 0) return Optional.<StageExecution>empty();
                Sql.update(c, "INSERT INTO stage_execution (run_id, stage, attempt, status, owner, started_at,"
                        + " heartbeat_at, version) VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, 0)",
                        runId, stage, attempt, owner, now, now);
                return Optional.of(Sql.query(c, "SELECT " + STAGE_COLS + " FROM stage_execution WHERE run_id = ?"
                        + " AND stage = ? AND attempt = ?", RunStore::stage, runId, stage, attempt).get(0));
            });
        } catch (RunStoreException e) {
            if (e.getCause() instanceof SQLException s && Sql.isDuplicateKey(s)) return Optional.empty();
            throw e;
        }
    }

    /** RUNNING → SUCCEEDED with outputs, and the stage's artifacts, in one transaction. */
    public void stageSucceeded(StageExecution exec, String outputsJson, List<ArtifactRecord> artifacts) {
        Instant now = clock.instant();
        sql.inTransaction(c -> {
            int changed = Sql.update(c, "UPDATE stage_execution SET status = 'SUCCEEDED', outputs_json = ?, ended_at = ?,"
                    + " heartbeat_at = ?, version = version + 1 WHERE id = ? AND status = 'RUNNING'",
                    outputsJson, now, now, exec.id());
            if (changed == 0) {
                throw new RunConflictException("stage " + exec.stage() + " of run " + exec.runId()
                        + " is no longer RUNNING: its result was not recorded");
            }
            for (ArtifactRecord a : artifacts) {
                Sql.update(c, "MERGE INTO artifact (run_id, name, stage, path, size_bytes, sha256, created_at)"
                        + " KEY (run_id, name) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        exec.runId(), a.name(), exec.stage(), a.path(), a.sizeBytes(), a.sha256(), now);
            }
            return null;
        });
    }

    /** RUNNING → CANCELLED: stopped short, with what it had done (e.g. its checkpoint) for the resume. */
    public void stageStopped(StageExecution exec, String outputsJson, String error) {
        sql.update("UPDATE stage_execution SET status = 'CANCELLED', outputs_json = ?, error = ?, ended_at = ?,"
                + " version = version + 1 WHERE id = ? AND status = 'RUNNING'", outputsJson, error, clock.instant(),
                exec.id());
    }

    public void stageFailed(StageExecution exec, String error) {
        sql.update("UPDATE stage_execution SET status = 'FAILED', error = ?, ended_at = ?, version = version + 1"
                + " WHERE id = ? AND status = 'RUNNING'", error, clock.instant(), exec.id());
    }

    /** Records that this attempt did not need {@code stage}; a no-op if the attempt already has a row for it. */
    public void recordSkipped(String runId, String stage, int attempt, String outputsJson) {
        Instant now = clock.instant();
        try {
            sql.update("INSERT INTO stage_execution (run_id, stage, attempt, status, outputs_json, started_at, ended_at,"
                    + " version) VALUES (?, ?, ?, 'SKIPPED', ?, ?, ?, 0)", runId, stage, attempt, outputsJson, now, now);
        } catch (RunStoreException e) {
            if (!(e.getCause() instanceof SQLException s && Sql.isDuplicateKey(s))) throw e;
        }
    }

    public void heartbeat(long stageExecutionId) {
        sql.update("UPDATE stage_execution SET heartbeat_at = ? WHERE id = ? AND status = 'RUNNING'",
                clock.instant(), stageExecutionId);
    }

    public List<ArtifactRecord> artifacts(String runId) {
        return sql.query("SELECT run_id, name, stage, path, size_bytes, sha256, created_at FROM artifact"
                + " WHERE run_id = ? ORDER BY created_at, name", RunStore::artifact, runId);
    }

    // ---- external effects ---------------------------------------------------------------------------------

    /** Records the intent before the remote call. A second call with the same key returns the first record. */
    public ExternalEffect intendEffect(String effectKey, String runId, String stage, String requestJson) {
        try {
            sql.update("INSERT INTO external_effect (effect_key, run_id, stage, status, request_json, created_at, version)"
                    + " VALUES (?, ?, ?, 'INTENDED', ?, ?, 0)", effectKey, runId, stage, requestJson, clock.instant());
        } catch (RunStoreException e) {
            if (!(e.getCause() instanceof SQLException s && Sql.isDuplicateKey(s))) throw e;
        }
        return findEffect(effectKey).orElseThrow();
    }

    public void confirmEffect(String effectKey, String responseJson) {
        int changed = sql.update("UPDATE external_effect SET status = 'CONFIRMED', response_json = ?, confirmed_at = ?,"
                + " version = version + 1 WHERE effect_key = ? AND status <> 'CONFIRMED'",
                responseJson, clock.instant(), effectKey);
        if (changed == 0) throw new RunConflictException("external effect " + effectKey + " is unknown or already confirmed");
    }

    /** Reconciliation found the remote never got it: the effect may be sent again. */
    public void markEffectAbsent(String effectKey) {
        sql.update("UPDATE external_effect SET status = 'ABSENT', version = version + 1 WHERE effect_key = ?"
                + " AND status = 'INTENDED'", effectKey);
    }

    public Optional<ExternalEffect> findEffect(String effectKey) {
        return sql.queryOne("SELECT * FROM external_effect WHERE effect_key = ?", RunStore::effect, effectKey);
    }

    public List<ExternalEffect> effects(String runId) {
        return sql.query("SELECT * FROM external_effect WHERE run_id = ? ORDER BY created_at", RunStore::effect, runId);
    }

    // ---- row mapping --------------------------------------------------------------------------------------

    private static Run run(ResultSet rs) throws SQLException {
        return new Run(rs.getString("id"), rs.getString("kind"), rs.getString("run_key"), rs.getString("trigger_source"),
                rs.getString("params_json"), RunStatus.valueOf(rs.getString("status")), rs.getInt("attempt"),
                rs.getBoolean("cancel_requested"), rs.getString("failed_stage"), rs.getString("last_error"),
                rs.getInt("auto_retries"), Sql.instant(rs, "next_retry_at"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "started_at"), Sql.instant(rs, "ended_at"), rs.getLong("version"),
                rs.getString("failure_kind") == null ? null : FailureKind.valueOf(rs.getString("failure_kind")));
    }

    private static StageExecution stage(ResultSet rs) throws SQLException {
        return new StageExecution(rs.getLong("id"), rs.getString("run_id"), rs.getString("stage"), rs.getInt("attempt"),
                StageStatus.valueOf(rs.getString("status")), rs.getString("owner"), rs.getString("outputs_json"),
                rs.getString("error"), Sql.instant(rs, "started_at"), Sql.instant(rs, "ended_at"),
                Sql.instant(rs, "heartbeat_at"), rs.getLong("version"));
    }

    private static ArtifactRecord artifact(ResultSet rs) throws SQLException {
        return new ArtifactRecord(rs.getString("run_id"), rs.getString("name"), rs.getString("stage"),
                rs.getString("path"), rs.getLong("size_bytes"), rs.getString("sha256"), Sql.instant(rs, "created_at"));
    }

    private static ExternalEffect effect(ResultSet rs) throws SQLException {
        return new ExternalEffect(rs.getString("effect_key"), rs.getString("run_id"), rs.getString("stage"),
                EffectStatus.valueOf(rs.getString("status")), rs.getString("request_json"),
                rs.getString("response_json"), Sql.instant(rs, "created_at"), Sql.instant(rs, "confirmed_at"),
                rs.getLong("version"));
    }
}
