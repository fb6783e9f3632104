-- Whether a FAILED run's failure is worth retrying by itself: TRANSIENT (network, 5xx, 429, rate limit, chain
-- connection or timeout) or PERMANENT (missing wallet, 401/403, invalid input). The retry sweeper resumes only
-- TRANSIENT ones; NULL (runs failed before this column, or interrupted by a dead process) counts as TRANSIENT.
ALTER TABLE run ADD COLUMN failure_kind VARCHAR(16);
