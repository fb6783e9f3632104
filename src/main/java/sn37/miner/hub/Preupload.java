package sn37.miner.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Request;

/** Asks the Hub how each file must travel, regular or LFS, and what it already holds (_commit_api.py _fetch_upload_modes). */
final class Preupload {
    static final int MAX_FILES_PER_CALL = 256;

    record Mode(boolean lfs, boolean ignored, String remoteOid) {}

    record Result(String headCommit, Map<String, Mode> modes) {}

    private final HubHttp http;

    Preupload(HubHttp http) {
        this.http = http;
    }

    Result fetch(RepoId repo, String revision, List<CommitOperation.Add> adds) throws IOException {
        Map<String, Mode> modes = new HashMap<>();
        String head = null;
        Op op = Op.hub("preupload at " + revision, repo);
        for (int from = 0; from < adds.size(); from += MAX_FILES_PER_CALL) {
            ArrayNode files = HubJson.MAPPER.createArrayNode();
            for (CommitOperation.Add add : adds.subList(from, Math.min(adds.size(), from + MAX_FILES_PER_CALL))) {
                Path file = add.localFile();
                files.addObject().put("path", add.pathInRepo()).put("sample", FileDigests.sampleBase64(file))
                        .put("size", Files.size(file));
            }
            ObjectNode body = HubJson.object().set("files", files);
            Request request = http.hubRequest(http.urls.model(repo, "preupload", revision))
                    .post(HubJson.body(body, HubJson.JSON)).build();
            head = http.send(request, op, response -> {
                JsonNode node = HubJson.read(response, op);
                for (JsonNode f : node.path("files")) {
                    String mode = HubJson.text(f, "uploadMode", response, op);
                    modes.put(HubJson.text(f, "path", response, op), new Mode("lfs".equals(mode),
                            f.path("shouldIgnore").asBoolean(false), HubJson.optionalText(f, "oid")));
                }
                return HubJson.text(node, "commitOid", response, op);
            });
        }
        return new Result(head, modes);
    }
}
