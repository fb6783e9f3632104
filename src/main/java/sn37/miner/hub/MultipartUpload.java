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
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multipart transfer (lfs.py _upload_multi_part): the batch answer's header holds {@code chunk_size} and one
 * presigned URL per part under zero-padded numeric keys. Parts go up in parallel on a bounded pool, each re-read from
 * its file slice on retry; their ETags feed the completion call. Presigned URLs never see the token. With a
 * {@link PartJournal}, an upload cut off by a crash resumes at the first part the storage had not accepted, as long as
 * its presigned URLs are still valid; otherwise the object starts over from a fresh batch answer.
 */
final class MultipartUpload {
    private static final Logger LOG = LoggerFactory.getLogger(MultipartUpload.class);
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

    void upload(RepoId repo, LfsUploads.LfsObject object, JsonNode upload, UploadListener listener,
            PartJournal journal) throws IOException {
        Optional<MultipartState> earlier = journal.find(object.oid())
                .filter(s -> s.size() == object.size() && s.partUrls().size() > 0);
        if (earlier.isPresent()) {
            try {
                finish(repo, object, earlier.get(), listener, journal);
                return;
            } catch (HubException e) {
                if (e.status() < 400 || e.status() >= 500) {
                    throw e;
                }
                // Expired part URLs (403) or an upload the storage dropped (404): start this object over.
                LOG.info("the earlier upload of LFS object {} cannot be resumed (HTTP {}); uploading it again",
                        object.oid(), e.status());
            }
        }
        MultipartState fresh = begin(repo, object, upload);
        journal.save(fresh);
        finish(repo, object, fresh, listener, journal);
    }

    private MultipartState begin(RepoId repo, LfsUploads.LfsObject object, JsonNode upload) throws HubException {
        JsonNode header = upload.path("header");
        long chunkSize = Long.parseLong(header.get("chunk_size").asText().trim());
        TreeMap<Integer, String> parts = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().isEmpty() && e.getKey().chars().allMatch(Character::isDigit)) {
                parts.put(Integer.parseInt(e.getKey()), HttpUrl.get(e.getValue().asText()).toString());
            }
        }
        long expected = chunkSize <= 0 ? -1 : (object.size() + chunkSize - 1) / chunkSize;
        if (parts.size() != expected || (!parts.isEmpty() && (parts.firstKey() != 1 || parts.lastKey() != expected))) {
            throw new HubException("LFS batch for " + repo + " gave object " + object.oid() + " " + parts.size()
                    + " part URLs for " + object.size() + " bytes in chunks of " + chunkSize + " (HTTP 200, error code"
                    + " none, request id none). The Hub's answer is inconsistent; retry the upload, report it if it"
                    + " repeats.", HubException.Info.noAnswer(repo));
        }
        return new MultipartState(object.oid(), object.size(), chunkSize, HttpUrl.get(upload.get("href").asText())
                .toString(), new ArrayList<>(parts.values()), Map.of());
    }

    /** Uploads the parts {@code state} lacks, then completes the object. */
    private void finish(RepoId repo, LfsUploads.LfsObject object, MultipartState state, UploadListener listener,
            PartJournal journal) throws IOException {
        List<String> etags = uploadParts(repo, object, state, listener, journal);
        complete(repo, object, HttpUrl.get(state.completionHref()), etags);
        journal.remove(object.oid());
    }

    private List<String> uploadParts(RepoId repo, LfsUploads.LfsObject object, MultipartState begun,
            UploadListener listener, PartJournal journal) throws IOException {
        long chunkSize = begun.chunkSize();
        List<String> urls = begun.partUrls();
        String[] etags = new String[urls.size()];
        begun.etags().forEach((part, etag) -> etags[part - 1] = etag);
        AtomicReference<MultipartState> state = new AtomicReference<>(begun);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            if (etags[i] == null) {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            return List.of(etags);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, missing.size()), r -> {
            Thread t = new Thread(r, "hub-part-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CompletionService<Void> done = new ExecutorCompletionService<>(pool);
        // once a part fails, parts still queued must not start: the caller is about to report the failure
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            for (int index : missing) {
                done.submit(() -> {
                    if (failed.get()) return null;
                    try {
                        long offset = index * chunkSize;
                        long length = Math.min(chunkSize, object.size() - offset);
                        Request put = http.presignedRequest(HttpUrl.get(urls.get(index)))
                                .put(new FileSliceBody(object.file(), offset, length)).build();
                        Op op = Op.presigned("upload of part " + (index + 1) + " of LFS object " + object.oid(), repo);
                        String etag = http.send(put, op, response -> {
                            String e = response.header("ETag");
                            if (e == null) {
                                throw HubJson.malformed(response, op, "has no ETag", null);
                            }
                            return e;
                        });
                        etags[index] = etag;
                        // Journal first: a part recorded there is never sent again, whatever happens next.
                        synchronized (state) {
                            state.set(state.get().withPart(index + 1, etag));
                            journal.save(state.get());
                        }
                        listener.bytesSent(object.oid(), length);
                        listener.partUploaded(object.oid(), index + 1);
                        return null;
                    } catch (Throwable t) {
                        failed.set(true);
                        throw t;
                    }
                });
            }
            for (int i = 0; i < missing.size(); i++) {
                done.take().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
            throw new InterruptedIOException("interrupted while uploading parts of " + object.oid());
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } finally {
            // Let parts in flight finish (queued ones skip themselves) rather than interrupt them: an interrupted
            // PUT may still land after we report failure, and its part would then be neither journaled nor known.
            pool.shutdown();
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
