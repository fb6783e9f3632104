package sn37.miner.fake;

import static sn37.miner.fake.FakeHubHttp.JSON;
import static sn37.miner.fake.FakeHubHttp.error;
import static sn37.miner.fake.FakeHubHttp.header;
import static sn37.miner.fake.FakeHubHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import sn37.miner.fake.FakeHubAuth.Need;
import sn37.miner.fake.FakeHubState.Upload;

/**
 * The fake Hub's upload endpoints: preupload, the LFS batch, basic and multipart part PUTs to the presigned
 * storage, multipart completion, verify, and the commit that makes uploaded objects files of a revision.
 */
final class FakeHubUploads {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final FakeHubState state;
    private final FakeHubAuth access;

    FakeHubUploads(FakeHubState state, FakeHubAuth access) {
        this.state = state;
        this.access = access;
    }

    MockResponse.Builder preupload(RecordedRequest request, String id, String revision) throws IOException {
        FakeHubAuth.Target at = access.revision(request, id, revision, Need.WRITE, "application/json");
        if (at.refusal() != null) {
            return at.refusal();
        }
        FakeHubRepo repo = at.repo();
        FakeHubRepo.Commit commit = at.commit();
        JsonNode files = JSON.readTree(request.getBody().utf8()).path("files");
        if (files.size() > 256) {
            state.violations.add("preupload of " + files.size() + " files in one call");
            return error(400, null, "too many files in one preupload call (max 256)");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode answers = body.putArray("files");
        for (JsonNode f : files) {
            String path = f.path("path").asText();
            long size = f.path("size").asLong(-1);
            int sampleLength = Base64.getDecoder().decode(f.path("sample").asText()).length;
            if (path.isEmpty() || size < 0 || sampleLength != Math.min(512, size)) {
                state.violations.add("bad preupload entry " + f);
                return error(400, null, "each file needs a path, a size and a sample of its first 512 bytes");
            }
            boolean lfs = size > 0 && (path.endsWith(".safetensors") || path.endsWith(".bin") || size >= state.lfsThreshold);
            ObjectNode answer = answers.addObject().put("path", path).put("uploadMode", lfs ? "lfs" : "regular")
                    .put("shouldIgnore", false);
            FakeHubRepo.Blob existing = commit.files().get(path);
            if (existing != null) {
                answer.put("oid", existing.oid());
            }
        }
        body.put("commitOid", commit.id());
        return json(200, body);
    }

    MockResponse.Builder batch(RecordedRequest request, String id) throws IOException {
        FakeHubAuth.Target to = access.repo(request, id, Need.WRITE, "application/vnd.git-lfs+json");
        FakeHubRepo repo = to.repo();
        MockResponse.Builder no = to.refusal();
        if (no == null && !"application/vnd.git-lfs+json".equals(header(request, "Accept"))) {
            state.violations.add("LFS batch without Accept: application/vnd.git-lfs+json");
            no = error(406, null, "Accept must be application/vnd.git-lfs+json");
        }
        if (no != null) {
            return no;
        }
        JsonNode body = JSON.readTree(request.getBody().utf8());
        boolean transfersOk = false;
        for (JsonNode t : body.path("transfers")) {
            transfersOk |= t.asText().equals("basic");
        }
        if (!"upload".equals(body.path("operation").asText()) || !"sha256".equals(body.path("hash_algo").asText())
                || !transfersOk || body.path("objects").size() > 256 || body.path("ref").path("name").isMissingNode()) {
            state.violations.add("malformed LFS batch " + body);
            return error(422, null, "malformed batch request");
        }
        boolean multipartUsed = false;
        ArrayNode objects = JSON.createArrayNode();
        for (JsonNode o : body.path("objects")) {
            String oid = o.path("oid").asText();
            long size = o.path("size").asLong(-1);
            ObjectNode answer = objects.addObject().put("oid", oid).put("size", size);
            Map.Entry<Integer, String> rejection = state.rejectedObjects.get(oid);
            if (!SHA256.matcher(oid).matches() || size < 0 || rejection != null) {
                answer.putObject("error").put("code", rejection == null ? 422 : rejection.getKey())
                        .put("message", rejection == null ? "invalid object" : rejection.getValue());
                continue;
            }
            if (repo.lfsStore.containsKey(oid)) {
                continue;
            }
            String uploadId = "u" + (++state.uploadCounter);
            ObjectNode actions = answer.putObject("actions");
            if (size >= state.multipartThreshold) {
                multipartUsed = true;
                int parts = (int) ((size + state.chunkSize - 1) / state.chunkSize);
                state.uploads.put(uploadId, new Upload(uploadId, id, oid, size, state.chunkSize, parts, new HashMap<>(), new HashMap<>()));
                ObjectNode upload = actions.putObject("upload")
                        .put("href", state.endpoint() + "/api/complete_multipart?uploadId=" + uploadId + "&signature=sig");
                ObjectNode header = upload.putObject("header").put("chunk_size", String.valueOf(state.chunkSize));
                for (int p = 1; p <= parts; p++) {
                    header.put(String.format("%05d", p), state.presigned("/s3/part/" + uploadId + "/" + p));
                }
            } else {
                state.uploads.put(uploadId, new Upload(uploadId, id, oid, size, 0, 1, new HashMap<>(), new HashMap<>()));
                actions.putObject("upload").put("href", state.presigned("/s3/upload/" + uploadId));
                actions.putObject("verify").put("href", state.endpoint() + "/" + id + ".git/info/lfs/objects/verify");
            }
        }
        ObjectNode answer = JSON.createObjectNode().put("transfer", multipartUsed ? "multipart" : "basic");
        answer.set("objects", objects);
        return json(200, answer).setHeader("Content-Type", "application/vnd.git-lfs+json");
    }

    MockResponse.Builder basicPut(RecordedRequest request, String uploadId) {
        Upload upload = state.uploads.get(uploadId);
        if (upload == null || upload.chunkSize() != 0) {
            return error(404, null, "NoSuchUpload");
        }
        byte[] data = request.getBody().toByteArray();
        state.basicPuts.merge(upload.oid(), 1, Integer::sum);
        if (data.length != upload.size() || !FakeHubRepo.hex("SHA-256", data).equals(upload.oid())) {
            state.violations.add("basic upload of " + upload.oid() + " has other bytes");
            return error(400, null, "BadDigest");
        }
        state.repos.get(upload.repo()).lfsStore.put(upload.oid(), data);
        return new MockResponse.Builder().code(200).setHeader("ETag", "\"" + FakeHubRepo.hex("MD5", data) + "\"");
    }

    MockResponse.Builder partPut(RecordedRequest request, String uploadId, int part) {
        Upload upload = state.uploads.get(uploadId);
        if (upload == null || upload.chunkSize() == 0 || part < 1 || part > upload.partCount()) {
            return error(404, null, "NoSuchUpload");
        }
        if (state.expiredUploads.contains(uploadId)) {
            return error(403, null, "AccessDenied: Request has expired");
        }
        byte[] data = request.getBody().toByteArray();
        state.partPuts.merge(upload.oid(), 1, Integer::sum);
        long expected = part < upload.partCount() ? upload.chunkSize()
                : upload.size() - (long) (upload.partCount() - 1) * upload.chunkSize();
        if (data.length != expected) {
            state.violations.add("part " + part + " of " + upload.oid() + " has " + data.length + " bytes, expected " + expected);
            return error(400, null, "EntityTooSmall");
        }
        String etag = "\"" + FakeHubRepo.hex("MD5", data) + "\"";
        upload.parts().put(part, data);
        upload.etags().put(part, etag);
        if (!state.acceptedParts.add(upload.oid() + "#" + part)) {
            state.resentParts++;
        }
        return new MockResponse.Builder().code(200).setHeader("ETag", etag);
    }

    MockResponse.Builder complete(RecordedRequest request) throws IOException {
        MockResponse.Builder no = access.checkContentType(request, "application/vnd.git-lfs+json");
        if (no != null) {
            return no;
        }
        Upload upload = state.uploads.get(request.getUrl().queryParameter("uploadId"));
        if (upload == null || upload.chunkSize() == 0 || state.expiredUploads.contains(upload.id())) {
            return error(404, null, "NoSuchUpload");
        }
        FakeHubRepo repo = state.repos.get(upload.repo());
        if (repo.lfsStore.containsKey(upload.oid())) {
            return json(200, JSON.createObjectNode());
        }
        JsonNode body = JSON.readTree(request.getBody().utf8());
        JsonNode parts = body.path("parts");
        if (!upload.oid().equals(body.path("oid").asText()) || parts.size() != upload.partCount()) {
            state.violations.add("completion of " + upload.oid() + " with oid/parts " + body);
            return error(400, null, "InvalidPart: expected " + upload.partCount() + " parts for " + upload.oid());
        }
        Buffer all = new Buffer();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode p = parts.get(i);
            int number = p.path("partNumber").asInt();
            String etag = upload.etags().get(number);
            if (number != i + 1 || etag == null || !etag.equals(p.path("etag").asText())) {
                state.violations.add("completion of " + upload.oid() + " with a missing or wrong ETag for part " + number);
                return error(400, null, "InvalidPart: part " + number + " is missing or its ETag does not match");
            }
            all.write(upload.parts().get(number));
        }
        byte[] data = all.readByteArray();
        if (!FakeHubRepo.hex("SHA-256", data).equals(upload.oid())) {
            state.violations.add("multipart upload of " + upload.oid() + " assembles to other bytes");
            return error(400, null, "assembled object does not match its oid");
        }
        repo.lfsStore.put(upload.oid(), data);
        return json(200, JSON.createObjectNode());
    }

    MockResponse.Builder verify(RecordedRequest request, String id) throws IOException {
        FakeHubAuth.Target to = access.repo(request, id, Need.WRITE, "application/json", "application/vnd.git-lfs+json");
        if (to.refusal() != null) {
            return to.refusal();
        }
        FakeHubRepo repo = to.repo();
        JsonNode body = JSON.readTree(request.getBody().utf8());
        byte[] stored = repo.lfsStore.get(body.path("oid").asText());
        if (stored == null || stored.length != body.path("size").asLong(-1)) {
            return error(404, null, "Object not found");
        }
        return json(200, JSON.createObjectNode());
    }

    MockResponse.Builder commit(RecordedRequest request, String id, String revision) throws IOException {
        FakeHubAuth.Target to = access.repo(request, id, Need.WRITE, "application/x-ndjson");
        if (to.refusal() != null) {
            return to.refusal();
        }
        FakeHubRepo repo = to.repo();
        if (!"main".equals(revision)) {
            return FakeHubAuth.revisionNotFound(revision);
        }
        String[] lines = request.getBody().utf8().split("\n");
        JsonNode header = JSON.readTree(lines[0]);
        if (!"header".equals(header.path("key").asText()) || header.path("value").path("summary").asText("").isEmpty()) {
            state.violations.add("commit without a header line with a summary");
            return error(400, null, "the first line must be the header, with a summary");
        }
        String parent = header.path("value").path("parentCommit").asText(null);
        if (parent != null && !parent.equals(repo.head().id())) {
            return error(412, null, "A commit has happened since. Please refresh and try again.");
        }
        Map<String, FakeHubRepo.Blob> files = new TreeMap<>(repo.head().files());
        Set<String> touched = new TreeSet<>();
        for (int i = 1; i < lines.length; i++) {
            JsonNode line = JSON.readTree(lines[i]);
            JsonNode value = line.path("value");
            String path = value.path("path").asText("");
            if (path.isEmpty() || !touched.add(path)) {
                state.violations.add("commit line without a path or touching a path twice: " + lines[i]);
                return error(400, null, "each line needs a distinct path");
            }
            switch (line.path("key").asText()) {
                case "file" -> {
                    if (!"base64".equals(value.path("encoding").asText())) {
                        return error(400, null, "file encoding must be base64");
                    }
                    files.put(path, new FakeHubRepo.Blob(Base64.getDecoder().decode(value.path("content").asText()), false));
                }
                case "lfsFile" -> {
                    byte[] data = repo.lfsStore.get(value.path("oid").asText());
                    if (!"sha256".equals(value.path("algo").asText()) || data == null
                            || data.length != value.path("size").asLong(-1)) {
                        state.violations.add("lfsFile line for an object never uploaded: " + lines[i]);
                        return error(400, null, "Your push was rejected because an LFS pointer pointed to a file"
                                + " that does not exist: " + path);
                    }
                    files.put(path, new FakeHubRepo.Blob(data, true));
                }
                case "deletedFile" -> {
                    if (files.remove(path) == null) {
                        return error(404, "EntryNotFound", "cannot delete " + path + ": no such file");
                    }
                }
                default -> {
                    state.violations.add("unknown commit line " + lines[i]);
                    return error(400, null, "unknown line key " + line.path("key").asText());
                }
            }
        }
        FakeHubRepo.Commit commit = repo.commit(header.path("value").path("summary").asText(), files);
        ObjectNode body = JSON.createObjectNode().put("success", true).put("commitOid", commit.id())
                .put("commitUrl", state.endpoint() + "/" + id + "/commit/" + commit.id()).put("hookOutput", "");
        return json(200, body);
    }
}
