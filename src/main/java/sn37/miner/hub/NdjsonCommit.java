package sn37.miner.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.Request;

/**
 * The commit call (hf_api.py create_commit, _commit_api.py _payload_as_ndjson): a header line, one line per file,
 * one per deletion. {@code parentCommit} makes the Hub refuse the commit if the branch moved, so a commit can never
 * land twice on top of the same parent.
 */
final class NdjsonCommit {
    private final HubHttp http;

    NdjsonCommit(HubHttp http) {
        this.http = http;
    }

    /** {@code localFiles} maps each regular entry's path to the file whose bytes go inline. */
    CommitResult send(RepoId repo, String revision, String summary, String parentCommit, List<CommitEntry> entries,
            Map<String, Path> localFiles) throws IOException {
        byte[] body = payload(summary, parentCommit, entries, localFiles);
        Request request = http.hubRequest(http.urls.model(repo, "commit", revision))
                .post(okhttp3.RequestBody.create(body, HubJson.NDJSON)).build();
        Op op = Op.commit(repo);
        try {
            return http.send(request, op, response -> {
                JsonNode node = HubJson.read(response, op);
                String oid = HubJson.text(node, "commitOid", response, op);
                String url = HubJson.optionalText(node, "commitUrl");
                return new CommitResult(oid, url != null ? url : http.urls.commitUrl(repo, oid), true);
            });
        } catch (HubHttp.OutcomeUnknown e) {
            throw new CommitOutcomeUnknownException("the commit to " + repo + "@" + revision + " on top of "
                    + parentCommit + " may or may not have been applied: " + e.getMessage() + " Do not resend it"
                    + " blindly: call HubClient.reconcile, which finds the commit if it landed; if it did not, upload"
                    + " again.", e.info, e.getCause(), revision, parentCommit, entries);
        }
    }

    private static byte[] payload(String summary, String parentCommit, List<CommitEntry> entries,
            Map<String, Path> localFiles) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ObjectNode header = HubJson.object().put("summary", summary).put("description", "");
        if (parentCommit != null) {
            header.put("parentCommit", parentCommit);
        }
        line(out, "header", header);
        for (CommitEntry entry : entries) {
            switch (entry.kind()) {
                case REGULAR -> line(out, "file", HubJson.object()
                        .put("content", Base64.getEncoder().encodeToString(Files.readAllBytes(localFiles.get(entry.path()))))
                        .put("path", entry.path()).put("encoding", "base64"));
                case LFS -> line(out, "lfsFile", HubJson.object().put("path", entry.path()).put("algo", "sha256")
                        .put("oid", entry.oid()).put("size", entry.size()));
                case DELETE -> line(out, "deletedFile", HubJson.object().put("path", entry.path()));
            }
        }
        return out.toByteArray();
    }

    private static void line(ByteArrayOutputStream out, String key, ObjectNode value) throws IOException {
        ObjectNode line = HubJson.object().put("key", key);
        line.set("value", value);
        out.write(HubJson.MAPPER.writeValueAsBytes(line));
        out.write('\n');
    }
}
