package sn37.miner.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The read side of the W&B public API that the finetuning SN1 loader uses (src/main/resources/sn1/README.md, "wandb
 * GraphQL as the finetuning loader uses it"): run listing with Mongo-style filters and cursors, a run's last
 * history step, and {@code sampledHistory} pages.
 */
public final class WandbPublicApi {
    /** wandb SDK v0.18.0 {@code Runs.QUERY} with its {@code RUN_FRAGMENT}. */
    static final String RUNS_QUERY = """
            query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50, $order: String, \
            $filters: JSONString) {
              project(name: $project, entityName: $entity) {
                runCount(filters: $filters)
                readOnly
                runs(filters: $filters, after: $cursor, first: $perPage, order: $order) {
                  edges { node { ...RunFragment } cursor }
                  pageInfo { endCursor hasNextPage } } } }
            fragment RunFragment on Run { id tags name displayName sweepName state config group jobType commit \
            readOnly createdAt heartbeatAt description notes systemMetrics summaryMetrics historyLineCount \
            user { name username } historyKeys }
            """;
    /** wandb SDK {@code Run.lastHistoryStep}. */
    static final String HISTORY_KEYS_QUERY = """
            query RunHistoryKeys($project: String!, $entity: String!, $name: String!) {
              project(name: $project, entityName: $entity) { run(name: $name) { historyKeys } } }
            """;
    /** finetuning {@code finetune/datasets/subnet/history_scan.py} {@code SampledHistoryScan.QUERY}. */
    static final String SAMPLED_HISTORY_QUERY = """
            query SampledHistoryPage($entity: String!, $project: String!, $run: String!, $spec: JSONString!) {
              project(name: $project, entityName: $entity) { run(name: $run) { sampledHistory(specs: [$spec]) } } }
            """;

    /** One page of runs and the cursor of the next. */
    public record RunsPage(List<WandbRun> runs, String endCursor, boolean hasNextPage) {}

    private final WandbGraphql graphql;

    public WandbPublicApi(WandbGraphql graphql) {
        this.graphql = graphql;
    }

    /**
     * One page of {@code entity/project} runs.
     *
     * @param filtersJson the Mongo-style filter as a JSON string, e.g. {@code {"$and":[{"state":"running"}]}}
     * @param cursor null for the first page, then the previous page's {@code endCursor}
     */
    public RunsPage runs(String entity, String project, String filtersJson, String order, String cursor, int perPage)
            throws IOException {
        ObjectNode v = WandbHttp.JSON.createObjectNode();
        v.put("project", project);
        v.put("entity", entity);
        v.put("order", order);
        v.put("filters", filtersJson);
        v.put("perPage", perPage);
        v.put("cursor", cursor);
        JsonNode projectNode = graphql.execute(RUNS_QUERY, v).get("project");
        if (projectNode == null || projectNode.isNull()) {
            throw new WandbException("W&B project " + entity + "/" + project + " not found or not readable with this"
                    + " key; check the project name and the key's access");
        }
        JsonNode runs = projectNode.path("runs");
        JsonNode edges = runs.path("edges");
        if (!edges.isArray()) {
            throw new WandbException("W&B Runs answer for " + entity + "/" + project + " has no runs.edges list");
        }
        List<WandbRun> out = new ArrayList<>();
        for (JsonNode edge : edges) {
            JsonNode node = edge.path("node");
            String name = text(node, "name");
            if (name == null) {
                throw new WandbException("W&B Runs answer for " + entity + "/" + project + " has a run without a name");
            }
            out.add(new WandbRun(name, text(node, "id"), text(node, "displayName"), text(node, "state"),
                    text(node, "createdAt"), text(node, "config")));
        }
        JsonNode info = runs.path("pageInfo");
        boolean hasNext = info.path("hasNextPage").asBoolean(false);
        String end = text(info, "endCursor");
        if (hasNext && end == null) {
            throw new WandbException("W&B Runs answer for " + entity + "/" + project
                    + " says hasNextPage but gives no endCursor");
        }
        return new RunsPage(out, end, hasNext);
    }

    /** The run's {@code historyKeys.lastStep}, or -1 when the run or its history is unknown (as the SDK). */
    public long lastHistoryStep(String entity, String project, String runId) throws IOException {
        ObjectNode v = WandbHttp.JSON.createObjectNode();
        v.put("project", project);
        v.put("entity", entity);
        v.put("name", runId);
        JsonNode keys = graphql.execute(HISTORY_KEYS_QUERY, v).path("project").path("run").path("historyKeys");
        JsonNode last = keys.path("lastStep");
        return last.isNumber() ? last.asLong() : -1;
    }

    /**
     * History rows with steps in {@code [minStep, endStep)} that have every one of {@code keys}, at most
     * {@code samples} of them. The server's {@code maxStep} is inclusive (wandb-core
     * {@code runhistoryreader/livedata.go}), so {@code endStep - 1} is sent.
     */
    public List<JsonNode> sampledHistory(String entity, String project, String runId, List<String> keys,
            long minStep, long endStep, int samples) throws IOException {
        if (endStep <= minStep) {
            throw new IllegalArgumentException("empty step window [" + minStep + ", " + endStep + ")");
        }
        ObjectNode spec = WandbHttp.JSON.createObjectNode();
        ArrayNode k = spec.putArray("keys");
        keys.forEach(k::add);
        spec.put("minStep", minStep);
        spec.put("maxStep", endStep - 1);
        spec.put("samples", samples);
        ObjectNode v = WandbHttp.JSON.createObjectNode();
        v.put("entity", entity);
        v.put("project", project);
        v.put("run", runId);
        v.put("spec", WandbHttp.JSON.writeValueAsString(spec));
        JsonNode run = graphql.execute(SAMPLED_HISTORY_QUERY, v).path("project").path("run");
        if (run.isMissingNode() || run.isNull()) {
            throw new WandbException("W&B run " + entity + "/" + project + "/" + runId + " vanished while its history"
                    + " was read");
        }
        JsonNode lists = run.path("sampledHistory");
        if (!lists.isArray() || lists.size() != 1 || !lists.get(0).isArray()) {
            throw new WandbException("W&B sampledHistory for run " + runId + " is not one list of rows per spec");
        }
        List<JsonNode> rows = new ArrayList<>(lists.get(0).size());
        lists.get(0).forEach(rows::add);
        return rows;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
