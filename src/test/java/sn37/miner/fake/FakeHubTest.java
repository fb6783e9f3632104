package sn37.miner.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake must refuse what the real Hub refuses, or the client tests prove nothing. */
class FakeHubTest {
    private static final String TOKEN = "hf_fakeWrite";
    private static final String REPO = "miner/m";
    private static final MediaType LFS = MediaType.get("application/vnd.git-lfs+json");
    private static final MediaType NDJSON = MediaType.get("application/x-ndjson");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();
    private FakeHub fake;

    @BeforeEach
    void start() throws IOException {
        fake = FakeHub.start(TOKEN, "hf_fakeRead");
        fake.createRepo(REPO, true);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    @ExpectedFakeViolations("lfsFile line for an object never uploaded")
    void refusesAnLfsFileLineWhoseObjectWasNeverUploaded() throws IOException {
        String body = header(fake.head(REPO)) + "{\"key\":\"lfsFile\",\"value\":{\"path\":\"m.bin\",\"algo\":\"sha256\","
                + "\"oid\":\"" + "ab".repeat(32) + "\",\"size\":3}}\n";

        try (Response r = call(hub("/api/models/" + REPO + "/commit/main").post(RequestBody.create(bytes(body), NDJSON)))) {
            assertEquals(400, r.code());
        }
        assertEquals(0, fake.commitsApplied(REPO));
    }

    @Test
    void refusesACommitWhoseParentIsNotTheHead() throws IOException {
        String body = header("0".repeat(40)) + "{\"key\":\"deletedFile\",\"value\":{\"path\":\".gitattributes\"}}\n";

        try (Response r = call(hub("/api/models/" + REPO + "/commit/main").post(RequestBody.create(bytes(body), NDJSON)))) {
            assertEquals(412, r.code());
        }
    }

    @Test
    @ExpectedFakeViolations("wrong Content-Type")
    void refusesACommitWithACharsetInItsContentType() throws IOException {
        RequestBody body = RequestBody.create(header(fake.head(REPO)), NDJSON);

        try (Response r = call(hub("/api/models/" + REPO + "/commit/main").post(body))) {
            assertEquals(400, r.code());
        }
    }

    @Test
    @ExpectedFakeViolations("with a missing or wrong ETag for part 1")
    void refusesAMultipartCompletionWithAWrongEtag() throws IOException {
        fake.chunkSize(4).multipartThreshold(8);
        byte[] data = "0123456789".getBytes(StandardCharsets.UTF_8);
        String oid = java.util.HexFormat.of().formatHex(sha256(data));
        JsonNode upload = batch(oid, data.length).path("objects").get(0).path("actions").path("upload");
        JsonNode header = upload.path("header");
        for (int part = 1; part <= 3; part++) {
            byte[] slice = java.util.Arrays.copyOfRange(data, (part - 1) * 4, Math.min(data.length, part * 4));
            try (Response r = call(new Request.Builder().url(header.get(String.format("%05d", part)).asText())
                    .put(RequestBody.create(slice)))) {
                assertEquals(200, r.code());
            }
        }
        String completion = "{\"oid\":\"" + oid + "\",\"parts\":[{\"partNumber\":1,\"etag\":\"x\"},"
                + "{\"partNumber\":2,\"etag\":\"y\"},{\"partNumber\":3,\"etag\":\"z\"}]}";

        try (Response r = call(new Request.Builder().url(upload.get("href").asText())
                .post(RequestBody.create(bytes(completion), LFS)))) {
            assertEquals(400, r.code());
        }
        assertTrue(fake.violations().stream().anyMatch(v -> v.contains("wrong ETag")), fake.violations().toString());
    }

    @Test
    @ExpectedFakeViolations("Authorization sent to a presigned URL")
    void refusesAuthorizationOnPresignedUrls() throws IOException {
        byte[] data = "abc".getBytes(StandardCharsets.UTF_8);
        String href = batch(java.util.HexFormat.of().formatHex(sha256(data)), data.length)
                .path("objects").get(0).path("actions").path("upload").path("href").asText();

        try (Response r = call(new Request.Builder().url(href).header("Authorization", "Bearer " + TOKEN)
                .put(RequestBody.create(data)))) {
            assertEquals(400, r.code());
        }
        assertTrue(fake.violations().stream().anyMatch(v -> v.contains("presigned")), fake.violations().toString());
    }

    @Test
    @ExpectedFakeViolations("preupload of 257 files in one call")
    void refusesMoreThan256FilesInOnePreupload() throws IOException {
        StringBuilder files = new StringBuilder();
        for (int i = 0; i < 257; i++) {
            files.append(i == 0 ? "" : ",").append("{\"path\":\"f").append(i).append("\",\"sample\":\"\",\"size\":0}");
        }
        RequestBody body = RequestBody.create(bytes("{\"files\":[" + files + "]}"), MediaType.get("application/json"));

        try (Response r = call(hub("/api/models/" + REPO + "/preupload/main").post(body))) {
            assertEquals(400, r.code());
        }
    }

    @Test
    void answersMissingOrBadCredentialsAsTheHubDoes() throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(fake.endpoint() + "/api/models/" + REPO
                + "/revision/main").build()).execute()) {
            assertEquals(401, r.code());
            assertEquals("RepoNotFound", r.header("X-Error-Code"));
        }
        try (Response r = http.newCall(new Request.Builder().url(fake.endpoint() + "/api/models/" + REPO
                + "/revision/main").header("Authorization", "Bearer hf_wrong").build()).execute()) {
            assertEquals(401, r.code());
            assertEquals("Invalid credentials in Authorization header", r.header("X-Error-Message"));
        }
        try (Response r = http.newCall(new Request.Builder().url(fake.endpoint() + "/api/models/" + REPO
                + "/settings").header("Authorization", "Bearer hf_fakeRead")
                .put(RequestBody.create(bytes("{\"private\":false}"), MediaType.get("application/json")))
                .build()).execute()) {
            assertEquals(403, r.code());
        }
    }

    @Test
    void redirectsLfsResolvesToAnotherHostWithLinkedHeaders() throws IOException {
        fake.seedCommit(REPO, Map.of(), Map.of("m.safetensors", new byte[] {1, 2, 3}));

        try (Response r = call(hub("/" + REPO + "/resolve/main/m.safetensors").head())) {
            assertEquals(302, r.code());
            assertTrue(r.header("Location").startsWith("http://localhost:"));
            assertEquals("3", r.header("X-Linked-Size"));
            assertEquals(fake.head(REPO), r.header("X-Repo-Commit"));
        }
    }

    private JsonNode batch(String oid, long size) throws IOException {
        String body = "{\"operation\":\"upload\",\"transfers\":[\"basic\",\"multipart\"],\"objects\":[{\"oid\":\""
                + oid + "\",\"size\":" + size + "}],\"hash_algo\":\"sha256\",\"ref\":{\"name\":\"main\"}}";
        try (Response r = call(hub("/" + REPO + ".git/info/lfs/objects/batch").header("Accept", LFS.toString())
                .post(RequestBody.create(bytes(body), LFS)))) {
            assertEquals(200, r.code());
            return JSON.readTree(r.body().string());
        }
    }

    private Request.Builder hub(String path) {
        return new Request.Builder().url(fake.endpoint() + path).header("Authorization", "Bearer " + TOKEN);
    }

    private Response call(Request.Builder request) throws IOException {
        return http.newCall(request.build()).execute();
    }

    private static String header(String parent) {
        return "{\"key\":\"header\",\"value\":{\"summary\":\"s\",\"description\":\"\",\"parentCommit\":\"" + parent
                + "\"}}\n";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
