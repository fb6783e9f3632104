package sn37.miner.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The multipart transfer (lfs.py _upload_multi_part): the batch answer's header holds {@code chunk_size} and one
 * presigned URL per part under zero-padded numeric keys. Parts go up in parallel on a bounded pool, each re-read from
 * its file slice on retry; their ETags feed the completion call. Presigned URLs never see the token.
 */
final class MultipartUpload {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HubHttp http;
    private final int parallelism;

    MultipartUpload(HubHttp http, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("part parallelism must be at least 1");
        }
        this.http = http;
        this.parallelism = parallelism;
    }

    void upload(RepoId repo, LfsUploads.LfsObject object, JsonNode upload, UploadListener listener)
            throws IOException {
        JsonNode header = upload.path("header");
        long chunkSize = Long.parseLong(header.get("chunk_size").asText().trim());
        TreeMap<Integer, HttpUrl> parts = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().isEmpty() && e.getKey().chars().allMatch(Character::isDigit)) {
                parts.put(Integer.parseInt(e.getKey()), HttpUrl.get(e.getValue().asText()));
            }
        }
        long expected = chunkSize <= 0 ? -1 : (object.size() + chunkSize - 1) / chunkSize;
        if (parts.size() != expected || (!parts.isEmpty() && (parts.firstKey() != 1 || parts.lastKey() != expected))) {
            throw new HubException("LFS batch for " + repo + " gave object " + object.oid() + " " + parts.size()
                    + " part URLs for " + object.size() + " bytes in chunks of " + chunkSize + " (HTTP 200, error code"
                    + " none, request id none). The Hub's answer is inconsistent; retry the upload, report it if it"
                    + " repeats.", HubException.Info.noAnswer(repo));
        }
        List<String> etags = uploadParts(repo, object, chunkSize, new ArrayList<>(parts.values()), listener);
        complete(repo, object, HttpUrl.get(upload.get("href").asText()), etags);
    }

    private List<String> uploadParts(RepoId repo, LfsUploads.LfsObject object, long chunkSize, List<HttpUrl> urls,
            UploadListener listener) throws IOException {
        String[] etags = new String[urls.size()];
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, urls.size()), r -> {
            Thread t = new Thread(r, "hub-part-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CompletionService<Void> done = new ExecutorCompletionService<>(pool);
        try {
            for (int i = 0; i < urls.size(); i++) {
                int index = i;
                done.submit(() -> {
                    long offset = index * chunkSize;
                    long length = Math.min(chunkSize, object.size() - offset);
                    Request put = http.presignedRequest(urls.get(index))
                            .put(new FileSliceBody(object.file(), offset, length)).build();
                    Op op = Op.presigned("upload of part " + (index + 1) + " of LFS object " + object.oid(), repo);
                    etags[index] = http.send(put, op, response -> {
                        String etag = response.header("ETag");
                        if (etag == null) {
                            throw HubJson.malformed(response, op, "has no ETag", null);
                        }
                        return etag;
                    });
                    listener.partUploaded(object.oid(), index + 1);
                    return null;
                });
            }
            for (int i = 0; i < urls.size(); i++) {
                done.take().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading parts of " + object.oid());
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } finally {
            // Wait for parts still in flight so nothing of this attempt reaches the server after we report failure.
            pool.shutdownNow();
            awaitQuietly(pool);
        }
        return List.of(etags);
    }

    private void complete(RepoId repo, LfsUploads.LfsObject object, HttpUrl href, List<String> etags)
            throws IOException {
        ObjectNode body = HubJson.object().put("oid", object.oid());
        ArrayNode parts = body.putArray("parts");
        for (int i = 0; i < etags.size(); i++) {
            parts.addObject().put("partNumber", i + 1).put("etag", etags.get(i));
        }
        // lfs.py posts the completion with LFS headers but no token: the href is itself signed.
        Request request = http.presignedRequest(href).header("Accept", HubJson.LFS.toString())
                .post(HubJson.body(body, HubJson.LFS)).build();
        http.send(request, Op.presigned("multipart completion of LFS object " + object.oid(), repo), response -> null);
    }

    private static IOException rethrow(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int defaultParallelism() {
        return Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }
}
