package sn37.miner.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import sn37.miner.run.RunReport;

/** Runs, newest first: each the run row alone (no params, stages, artifacts or effects). */
public record RunList(@JsonProperty(required = true) List<RunReport> runs) {}
