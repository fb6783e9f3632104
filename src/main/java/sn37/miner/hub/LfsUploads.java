package sn37.miner.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LFS batch API and the basic transfer (lfs.py post_lfs_batch_info and lfs_upload). An object the batch answers
 * without {@code actions} is already stored, which is also what makes a re-run after a crash skip finished objects.
 */
final class LfsUploads {
    private static final Logger LOG = LoggerFactory.getLogger(LfsUploads.class);
    static final int MAX_OBJECTS_PER_CALL = 256;

    record LfsObject(String oid, long size, Path file) {}

    private final HubHttp http;
    private final MultipartUpload multipart;

    LfsUploads(HubHttp http, MultipartUpload multipart) {
        this.http = http;
        this.multipart = multipart;
    }

    void upload(RepoId repo, String revision, List<LfsObject> objects, UploadListener listener, PartJournal journal)
            throws IOException {
        for (int from = 0; from < objects.size(); from += MAX_OBJECTS_PER_CALL) {
            List<LfsObject> chunk = objects.subList(from, Math.min(objects.size(), from + MAX_OBJECTS_PER_CALL));
            Map<String, JsonNode> answers = batch(repo, revision, chunk);
            for (LfsObject object : chunk) {
                JsonNode answer = answers.get(object.oid());
                JsonNode actions = answer.get("actions");
                if (actions == null || actions.isNull() || actions.size() == 0) {
                    LOG.debug("LFS object {} of {} is already stored", object.oid(), repo);
                    journal.remove(object.oid());
                } else {
                    transfer(repo, object, actions, listener, journal);
                }
                listener.objectStored(object.oid());
            }
        }
    }

    private Map<String, JsonNode> batch(RepoId repo, String revision, List<LfsObject> objects) throws IOException {
        ObjectNode body = HubJson.object().put("operation", "upload");
        body.putArray("transfers").add("basic").add("multipart");
        ArrayNode list = body.putArray("objects");
        objects.forEach(o -> list.addObject().put("oid", o.oid()).put("size", o.size()));
        body.put("hash_algo", "sha256");
        body.putObject("ref").put("name", revision);
        Request request = http.hubRequest(http.urls.lfsBatch(repo))
                .header("Accept", HubJson.LFS.toString())
                .post(HubJson.body(body, HubJson.LFS)).build();
        Op op = Op.hub("LFS batch", repo);
        return http.send(request, op, response -> {
            Map<String, JsonNode> answers = new HashMap<>();
            for (JsonNode o : HubJson.read(response, op).path("objects")) {
                String oid = HubJson.text(o, "oid", response, op);
                JsonNode error = o.get("error");
                if (error != null && !error.isNull()) {
                    int code = error.path("code").asInt(0);
                    String message = http.errors.scrub(error.path("message").asText(""));
                    HubException.Info info = new HubException.Info(repo, code, null,
                            HubErrors.requestId(response), message);
                    throw new LfsObjectException("LFS batch for " + repo + " refused object " + oid + ": HTTP 200 with"
                            + " object error " + code + ", error code none, request id " + info.requestId() + ": "
                            + message + ". Check the file (size limits, a corrupt local copy) and upload again.",
                            info, oid);
                }
                answers.put(oid, o);
            }
            for (LfsObject object : objects) {
                if (!answers.containsKey(object.oid())) {
                    throw HubJson.malformed(response, op, "does not mention object " + object.oid(), null);
                }
            }
            return answers;
        });
    }

    private void transfer(RepoId repo, LfsObject object, JsonNode actions, UploadListener listener,
            PartJournal journal) throws IOException {
        JsonNode upload = actions.get("upload");
        if (upload == null || HubJson.optionalText(upload, "href") == null) {
            throw new HubException("LFS batch for " + repo + " gave object " + object.oid() + " no upload href (HTTP 200,"
                    + " error code none, request id none). The Hub API may have changed; report it.",
                    HubException.Info.noAnswer(repo));
        }
        JsonNode header = upload.path("header");
        if (header.has("chunk_size")) {
            multipart.upload(repo, object, upload, listener, journal);
        } else {
            HttpUrl href = HttpUrl.get(upload.get("href").asText());
            Request put = http.presignedRequest(href).put(new FileSliceBody(object.file(), 0, object.size())).build();
            http.send(put, Op.presigned("LFS upload of " + object.oid(), repo), response -> null);
            listener.bytesSent(object.oid(), object.size());
        }
        JsonNode verify = actions.get("verify");
        if (verify != null && HubJson.optionalText(verify, "href") != null) {
            verify(repo, object, HttpUrl.get(verify.get("href").asText()));
        }
    }

    /** lfs.py sends the verify call with the token; we send it only when the href is on the Hub itself. */
    private void verify(RepoId repo, LfsObject object, HttpUrl href) throws IOException {
        ObjectNode body = HubJson.object().put("oid", object.oid()).put("size", object.size());
        boolean onHub = http.urls.isHub(href);
        Request.Builder builder = onHub ? http.hubRequest(href) : http.presignedRequest(href);
        Request request = builder.post(HubJson.body(body, HubJson.JSON)).build();
        Op op = onHub ? Op.hub("LFS verify of " + object.oid(), repo) : Op.presigned("LFS verify of " + object.oid(), repo);
        http.send(request, op, response -> null);
    }
}
