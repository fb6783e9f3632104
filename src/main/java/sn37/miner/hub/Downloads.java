package sn37.miner.hub;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSink;
import okio.Okio;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HEAD on {@code /resolve/} for metadata, then a resumable GET into {@code <etag>.incomplete} next to the destination,
 * verified and renamed atomically (file_download.py get_hf_file_metadata and http_get).
 */
final class Downloads {
    private static final Logger LOG = LoggerFactory.getLogger(Downloads.class);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern GIT_SHA1 = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");
    private static final int MAX_RELATIVE_REDIRECTS = 5;

    private final HubHttp http;

    Downloads(HubHttp http) {
        this.http = http;
    }

    /**
     * Follows only relative redirects (a renamed repo) with the token; an absolute one points at a CDN or another
     * host, so its headers are read and its location is fetched later without the token.
     */
    FileMetadata metadata(RepoId repo, String revision, String path) throws IOException {
        HttpUrl url = http.urls.resolve(repo, revision, path);
        Op op = Op.hub("metadata of " + path + " at " + revision, repo).accepting(REDIRECTS.toArray(Integer[]::new));
        for (int hop = 0; hop <= MAX_RELATIVE_REDIRECTS; hop++) {
            Request request = http.hubRequest(url).head().header("Accept-Encoding", "identity").build();
            HttpUrl current = url;
            Head head = http.send(request, op, response -> new Head(response.code(), response.headers()));
            if (!REDIRECTS.contains(head.code)) {
                return fromHeaders(head.headers, current, false, op);
            }
            String location = head.headers.get("Location");
            if (location == null) {
                throw new HubException(op.describe() + " got HTTP " + head.code + " without a Location. Report it"
                        + " with request id " + head.headers.get("X-Request-Id") + ".",
                        new HubException.Info(repo, head.code, null, head.headers.get("X-Request-Id"), null));
            }
            HttpUrl absolute = HttpUrl.parse(location);
            if (absolute != null || location.startsWith("//")) {
                HttpUrl target = absolute != null ? absolute : current.resolve(location);
                return fromHeaders(head.headers, target, true, op);
            }
            url = current.resolve(location);
        }
        throw new HubException(op.describe() + " was redirected more than " + MAX_RELATIVE_REDIRECTS
                + " times. Check the repo id; it may have been renamed in a loop.", HubException.Info.noAnswer(repo));
    }

    Path download(RepoId repo, String revision, String path, Path destination) throws IOException {
        FileMetadata meta = metadata(repo, revision, path);
        Path dir = destination.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path partial = dir.resolve(meta.etag() + ".incomplete");
        if (Files.notExists(partial)) {
            Files.createFile(partial);
        }
        Op op = meta.redirected()
                ? Op.presigned("download of " + path, repo).accepting(206)
                : Op.hub("download of " + path, repo).accepting(206);
        HttpUrl url = meta.redirected() ? meta.location() : http.urls.resolve(repo, meta.commit(), path);
        Duration backoff = http.policy.baseWait();
        for (int attempt = 1; ; attempt++) {
            long have = Files.size(partial);
            if (have > meta.size()) {
                Files.write(partial, new byte[0]);
                have = 0;
            }
            if (have == meta.size()) {
                break;
            }
            IOException broken;
            try {
                fetch(url, op, partial, have, meta.redirected());
                broken = null;
            } catch (HubException e) {
                throw e;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                broken = e;
            }
            long now = Files.size(partial);
            if (now == meta.size()) {
                break;
            }
            if (attempt > http.policy.maxRetries()) {
                throw new HubException(op.describe() + " gave up after " + attempt + " attempts at byte " + now + " of "
                        + meta.size() + (broken == null ? "" : ": " + broken)
                        + ". The partial file is kept for a later resume; retry when the network is stable.",
                        HubException.Info.noAnswer(repo), broken);
            }
            LOG.warn("{} stopped at byte {} of {}; resuming in {} ms", op.describe(), now, meta.size(), backoff.toMillis());
            http.sleep(backoff);
            backoff = http.policy.next(backoff);
        }
        verify(meta, partial, op);
        try {
            Files.move(partial, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, destination, StandardCopyOption.REPLACE_EXISTING);
        }
        return destination;
    }

    /** Appends from {@code have}; a 200 to a Range request means the server ignored it, so start over. */
    private void fetch(HttpUrl url, Op op, Path partial, long have, boolean presigned) throws IOException {
        Request.Builder builder = presigned ? http.presignedRequest(url) : http.hubRequest(url);
        builder.get().header("Accept-Encoding", "identity");
        if (have > 0) {
            builder.header("Range", "bytes=" + have + "-");
        }
        http.send(builder.build(), op, response -> {
            boolean append = false;
            if (response.code() == 206) {
                checkRangeStart(response, have, op);
                append = true;
            } else if (have > 0) {
                LOG.info("{}: the server ignored the Range request; starting over", op.describe());
            }
            try (BufferedSink sink = Okio.buffer(append
                    ? Okio.appendingSink(partial.toFile()) : Okio.sink(partial.toFile()))) {
                sink.writeAll(response.body().source());
            }
            return null;
        });
    }

    private static void checkRangeStart(Response response, long have, Op op) throws HubException {
        String range = response.header("Content-Range");
        Matcher m = range == null ? null : CONTENT_RANGE.matcher(range);
        if (m == null || !m.matches() || Long.parseLong(m.group(1)) != have) {
            throw HubJson.malformed(response, op, "has Content-Range '" + range + "' for a request from byte " + have, null);
        }
    }

    private static void verify(FileMetadata meta, Path partial, Op op) throws IOException {
        long size = Files.size(partial);
        String problem = null;
        if (size != meta.size()) {
            problem = "has " + size + " bytes, the Hub announced " + meta.size();
        } else if (SHA256.matcher(meta.etag()).matches()) {
            String actual = FileDigests.sha256Hex(partial);
            problem = actual.equals(meta.etag()) ? null : "has sha256 " + actual + ", expected " + meta.etag();
        } else if (GIT_SHA1.matcher(meta.etag()).matches()) {
            String actual = FileDigests.gitBlobSha1Hex(partial);
            problem = actual.equals(meta.etag()) ? null : "has git blob sha1 " + actual + ", expected " + meta.etag();
        }
        if (problem != null) {
            Files.deleteIfExists(partial);
            throw new HubIntegrityException(op.describe() + " (commit " + meta.commit() + ") " + problem
                    + "; the corrupt partial file was deleted. Download again; if it repeats, the CDN copy is bad.",
                    new HubException.Info(op.repo(), 0, null, null, null));
        }
    }

    private record Head(int code, Headers headers) {}

    /** get_hf_file_metadata's rules: X-Linked-* on a redirect win over ETag and Content-Length. */
    private static FileMetadata fromHeaders(Headers headers, HttpUrl location, boolean redirected, Op op)
            throws HubException {
        String commit = headers.get("X-Repo-Commit");
        String etag = headers.get("X-Linked-Etag") != null ? headers.get("X-Linked-Etag") : headers.get("ETag");
        String size = headers.get("X-Linked-Size") != null ? headers.get("X-Linked-Size")
                : redirected ? null : headers.get("Content-Length");
        if (commit == null || etag == null || size == null) {
            throw new HubException(op.describe() + " lacks " + (commit == null ? "X-Repo-Commit" : etag == null
                    ? "an ETag" : "a size") + " (request id " + headers.get("X-Request-Id") + "). A proxy may strip"
                    + " headers; check HF_ENDPOINT.", new HubException.Info(op.repo(), 0, null,
                    headers.get("X-Request-Id"), null));
        }
        return new FileMetadata(commit, normalizeEtag(etag), Long.parseLong(size.trim()), location, redirected);
    }

    static String normalizeEtag(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.replace("\"", "");
    }
}
