package sn37.miner.hub;

import sn37.miner.util.Sleeper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * A Hugging Face Hub client for model repos over one OkHttpClient: identity, repo creation and visibility, metadata,
 * verified resumable downloads, and commits through preupload, LFS (basic and multipart) and the NDJSON commit API.
 * Every failure is a {@link HubException}. Thread-safe.
 */
public final class HubClient {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private final HubHttp http;
    private final Repos repos;
    private final Downloads downloads;
    private final CommitFlow commits;
    private final Reconciler reconciler;

    private HubClient(Builder b) {
        this.http = new HubHttp(b.httpClient, new HubUrls(b.endpoint), b.token, b.retryPolicy, b.sleeper);
        this.repos = new Repos(http);
        this.downloads = new Downloads(http);
        this.commits = new CommitFlow(http, repos, new Preupload(http),
                new LfsUploads(http, new MultipartUpload(http, b.partParallelism)), new NdjsonCommit(http));
        this.reconciler = new Reconciler(http, repos);
    }

    /** {@code token} may be null for anonymous reads of public repos. */
    public static Builder builder(String endpoint, HubToken token) {
        return new Builder(endpoint, token);
    }

    public static HubClient create(String endpoint, HubToken token) {
        return builder(endpoint, token).build();
    }

    /** Timeouts sized for multi-GB shards over slow links: no whole-call limit, generous per-read limits. */
    public static OkHttpClient defaultHttpClient() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(20))
                .readTimeout(Duration.ofSeconds(120))
                .writeTimeout(Duration.ofSeconds(120))
                .build();
    }

    public String endpoint() {
        return http.urls.endpoint();
    }

    /** The token's account; asked once per client. */
    public WhoAmI whoami() throws IOException {
        return repos.whoami();
    }

    /** Creates the repo private if it does not exist; returns its URL. */
    public String createPrivateRepo(RepoId repo) throws IOException {
        return repos.createPrivate(repo);
    }

    /** The model at a revision, with file sizes and LFS sha256s ({@code ?blobs=true}). */
    public ModelInfo modelInfo(RepoId repo, String revision) throws IOException {
        return repos.info(repo, revision, true);
    }

    /** Every file at a revision, recursively, across all result pages. */
    public List<RepoFile> listFiles(RepoId repo, String revision) throws IOException {
        return repos.tree(repo, revision);
    }

    /** The named files at a revision; paths that do not exist are absent from the result. */
    public List<RepoFile> pathsInfo(RepoId repo, String revision, Collection<String> paths) throws IOException {
        return repos.pathsInfo(repo, revision, paths);
    }

    /** The history of a revision, newest first. */
    public List<CommitSummary> listCommits(RepoId repo, String revision) throws IOException {
        return repos.commits(repo, revision, c -> false);
    }

    public FileMetadata fileMetadata(RepoId repo, String revision, String path) throws IOException {
        return downloads.metadata(repo, revision, RepoPaths.check(path));
    }

    /**
     * Downloads one file to {@code destination}, resuming a {@code <etag>.incomplete} file left next to it, checking
     * size and hash, then renaming atomically. A corrupt result is deleted and raises {@link HubIntegrityException}.
     */
    public Path download(RepoId repo, String revision, String path, Path destination) throws IOException {
        return downloads.download(repo, revision, RepoPaths.check(path), destination);
    }

    /** Commits {@code operations} to branch {@code revision}: {@link #prepareCommit}, then {@link #send}. */
    public CommitResult commit(RepoId repo, String revision, String parentCommit, String summary,
            List<CommitOperation> operations, UploadListener listener) throws IOException {
        return commit(repo, revision, parentCommit, summary, operations, listener, PartJournal.NONE);
    }

    /** {@link #commit(RepoId, String, String, String, List, UploadListener)} with multipart uploads in {@code journal}. */
    public CommitResult commit(RepoId repo, String revision, String parentCommit, String summary,
            List<CommitOperation> operations, UploadListener listener, PartJournal journal) throws IOException {
        return send(prepareCommit(repo, revision, parentCommit, summary, operations, listener, journal));
    }

    /**
     * Everything of a commit of {@code operations} to branch {@code revision} but the commit call: preupload, then
     * LFS uploads of what the Hub lacks, recording multipart uploads in {@code journal} so that a later call after a
     * crash sends only the parts the storage had not accepted. Files whose content the Hub already holds at that
     * path are left out. The commit goes on top of {@code parentCommit} (the current head when null).
     */
    public PreparedCommit prepareCommit(RepoId repo, String revision, String parentCommit, String summary,
            List<CommitOperation> operations, UploadListener listener, PartJournal journal) throws IOException {
        return commits.prepare(repo, revision, parentCommit, Objects.requireNonNull(summary, "summary"),
                List.copyOf(operations), listener == null ? UploadListener.NONE : listener,
                Objects.requireNonNull(journal, "journal"));
    }

    /**
     * The commit call. When the commit changes nothing, no call is made and the head is returned. A lost answer
     * raises {@link CommitOutcomeUnknownException}; a moved branch raises {@link CommitConflictException}.
     */
    public CommitResult send(PreparedCommit prepared) throws IOException {
        return commits.send(prepared);
    }

    /**
     * After {@link CommitOutcomeUnknownException}, or after a crash between recording a {@link PreparedCommit} and
     * recording its answer: the commit made of {@code sent} on top of {@code parentCommit}, if it landed. Empty
     * means it did not land and cannot land later, so uploading again is safe.
     */
    public Optional<CommitResult> reconcile(RepoId repo, String revision, String parentCommit, List<CommitEntry> sent)
            throws IOException {
        return reconciler.reconcile(repo, revision, parentCommit, sent);
    }

    public Optional<CommitResult> reconcile(CommitOutcomeUnknownException lost) throws IOException {
        return reconcile(lost.repo(), lost.revision(), lost.parentCommit(), lost.entries());
    }

    /**
     * The commit {@code revision} resolves to, if at that commit every path in {@code expectedOids} has that oid
     * (sha256 for LFS files, git blob sha1 for regular ones) and every path in {@code deletedPaths} is absent.
     */
    public Optional<String> findCommitWithFiles(RepoId repo, String revision, Map<String, String> expectedOids,
            Collection<String> deletedPaths) throws IOException {
        return reconciler.findCommitWithFiles(repo, revision, expectedOids, deletedPaths);
    }

    public void setPrivate(RepoId repo, boolean isPrivate) throws IOException {
        repos.setPrivate(repo, isPrivate);
    }

    public static final class Builder {
        private final String endpoint;
        private final HubToken token;
        private OkHttpClient httpClient;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private int partParallelism = MultipartUpload.defaultParallelism();

        private Builder(String endpoint, HubToken token) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            this.token = token;
        }

        public Builder httpClient(OkHttpClient client) {
            this.httpClient = Objects.requireNonNull(client);
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy);
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        /** How many parts of one multipart LFS object upload at once. */
        public Builder partParallelism(int parts) {
            this.partParallelism = parts;
            return this;
        }

        public HubClient build() {
            if (httpClient == null) {
                httpClient = defaultHttpClient();
            }
            return new HubClient(this);
        }
    }
}
