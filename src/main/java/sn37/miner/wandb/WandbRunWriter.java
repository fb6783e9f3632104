package sn37.miner.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The write side of W&B as the {@code wandb} client speaks it (wandb-core @b6e29505):
 * <ul>
 *   <li>{@code POST {base}/graphql} {@code mutation UpsertBucket} creates the run
 *       ({@code core/api/graphql/mutation_run.graphql}); {@code name} is the run id, {@code displayName} the name
 *       shown, {@code config} a JSON string of {@code {key: {"value": v}}} ({@code runconfig.Serialize}).</li>
 *   <li>{@code POST {base}/files/{entity}/{project}/{run}/file_stream} appends lines to the run's files
 *       ({@code core/internal/filestream}): {@code {"files": {"wandb-history.jsonl": {"offset": n, "content":
 *       [json lines]}}}}; the summary is line 0 of {@code wandb-summary.json}, rewritten each time; the last request
 *       carries {@code "complete": true, "exitcode": 0}.</li>
 * </ul>
 * Both carry the Basic credentials (wandb-core sends its API client's auth to every URL under the base).
 */
final class WandbRunWriter {
    static final String HISTORY_FILE = "wandb-history.jsonl";
    static final String SUMMARY_FILE = "wandb-summary.json";
    static final String UPSERT_BUCKET = """
            mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String, \
            $groupName: String, $description: String, $displayName: String, $notes: String, $commit: String, \
            $config: JSONString, $host: String, $debug: Boolean, $program: String, $repo: String, $jobType: String, \
            $state: String, $sweep: String, $tags: [String!], $summaryMetrics: JSONString) {
              upsertBucket(input: { id: $id, name: $name, groupName: $groupName, modelName: $project, \
            entityName: $entity, description: $description, displayName: $displayName, notes: $notes, \
            config: $config, commit: $commit, host: $host, debug: $debug, jobProgram: $program, jobRepo: $repo, \
            jobType: $jobType, state: $state, sweep: $sweep, tags: $tags, summaryMetrics: $summaryMetrics }) {
                bucket { id name displayName description config sweepName project { id name entity { id name } } \
            historyLineCount }
                inserted } }
            """;

    /** Where the server put the run: its entity and project names as it answered them, and the run id. */
    record RunPath(String entity, String project, String runId) {}

    private final WandbHttp http;
    private final WandbGraphql graphql;

    WandbRunWriter(WandbHttp http) {
        this.http = http;
        this.graphql = new WandbGraphql(http);
    }

    RunPath upsert(String entity, String project, String runId, String displayName, String configJson)
            throws IOException {
        ObjectNode v = WandbHttp.JSON.createObjectNode();
        v.put("name", runId);
        v.put("project", project);
        v.put("entity", entity);
        v.put("displayName", displayName);
        v.put("config", configJson);
        JsonNode bucket = graphql.execute(UPSERT_BUCKET, v).path("upsertBucket").path("bucket");
        String name = bucket.path("name").asText(null);
        String projectName = bucket.path("project").path("name").asText(null);
        String entityName = bucket.path("project").path("entity").path("name").asText(null);
        if (name == null || projectName == null || entityName == null) {
            throw new WandbException("W&B UpsertBucket for " + entity + "/" + project + " answered without the run's"
                    + " name, project and entity");
        }
        return new RunPath(entityName, projectName, name);
    }

    void stream(RunPath run, ObjectNode body) throws IOException {
        http.post(http.url("files", run.entity(), run.project(), run.runId(), "file_stream"), body,
                "W&B file_stream of run " + run.entity() + "/" + run.project() + "/" + run.runId());
    }
}
