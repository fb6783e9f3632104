-- Progress events of runs (training steps, evaluation samples, bytes sent) for GET /api/runs/{id}/progress and its
-- event stream. seq numbers a run's events in the order they happened. ProgressLog bounds the rows: every training
-- step is kept until a (run, stage) holds 2,000 rows; then every second of its older rows (all but the first and the
-- newest 500) is deleted, so a long run keeps the curve's shape and its recent steps. Other events are sampled at
-- most every 250 ms per (run, stage), keeping the first, the last and each restart of the count.
CREATE TABLE progress_event (
    run_id          VARCHAR(36)   NOT NULL REFERENCES run (id),
    seq             BIGINT        NOT NULL,
    stage           VARCHAR(32)   NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    event_json      VARCHAR(2000) NOT NULL,            -- the event: unit, done, total, loss, lr, ... (nulls left out)
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX progress_stage_idx ON progress_event (run_id, stage, seq);
