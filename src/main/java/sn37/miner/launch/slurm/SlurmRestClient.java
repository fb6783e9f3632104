package sn37.miner.launch.slurm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.launch.slurm.SlurmErrors.SlurmError;
import sn37.miner.launch.slurm.SlurmException.Kind;

/**
 * slurmrestd's job calls (submit, one job, all jobs, cancel) in the highest API version both sides speak, found
 * on first use. Authenticates with {@code X-SLURM-USER-NAME} and {@code X-SLURM-USER-TOKEN} (a JWT from
 * {@code scontrol token}); slurmrestd passes the token to slurmctld, which checks it, so jobs run as that user.
 * Nothing is retried: a submit may have landed, and a caller finds it by name before submitting again.
 */
public final class SlurmRestClient {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmRestClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final Pattern VERSIONED_PATH = Pattern.compile("^/slurm/v0\\.0\\.(\\d+)/");

    private final String base;
    private final String configuredUser;
    private final SlurmToken token;
    private final OkHttpClient http;
    private final Duration timeout;
    private volatile SlurmApi api;

    /**
     * @param user the token's user; null reads it from the token
     * @param token where the token comes from on each call (the {@code SLURM_JWT} environment variable)
     */
    public SlurmRestClient(URI url, String user, Supplier<String> token, Duration timeout) {
        this.base = url.toString().replaceAll("/+$", "");
        this.configuredUser = user == null || user.isBlank() ? null : user;
        this.token = new SlurmToken(token);
        this.timeout = timeout;
        // OkHttp would silently resend a submit whose connection dropped, making a second job.
        this.http = new OkHttpClient.Builder().retryOnConnectionFailure(false).callTimeout(timeout)
                .connectTimeout(timeout).readTimeout(timeout).followRedirects(false).build();
    }

    /** The API version in use ({@code v0.0.38}), negotiated on first call. */
    public String version() throws SlurmException {
        return api().name();
    }

    /** The user jobs run as. */
    public String user() throws SlurmException {
        return user(token.value());
    }

    /** Submits a batch job; returns its Slurm job id. */
    public long submit(SlurmJobSpec spec) throws SlurmException {
        SlurmApi v = api();
        Reply reply = send("POST", v.submitPath(), v.submitBody(spec));
        long id = v.submittedId(reply.body());
        if (reply.status() == 200 && id > 0) {
            if (!reply.errors().isEmpty()) {
                // The job exists but may wait for a reason Slurm names (a partition it cannot use yet, say).
                LOG.warn("Slurm took job {} ({}) with errors: {}", id, spec.name(), SlurmErrors.text(reply.errors()));
            }
            LOG.info("submitted Slurm job {} ({}) as {} through {}", id, spec.name(), reply.user(), v.name());
            return id;
        }
        if (SlurmErrors.isPartition(reply.errors())) {
            throw SlurmErrors.partition(spec.partition(), spec.name(), reply.errors());
        }
        if (spec.gpusPerNode() > 0 && SlurmErrors.isGpuRequest(reply.errors())) {
            throw SlurmErrors.gpus(spec.gpusPerNode(), spec.partition(), spec.name(), reply.errors());
        }
        throw SlurmErrors.failed(reply.status(), "the submit of job " + spec.name(), reply.user(), reply.errors());
    }

    /** The job, or empty when slurmctld no longer knows it (it ended more than its MinJobAge ago). */
    public Optional<SlurmJob> job(long id) throws SlurmException {
        SlurmApi v = api();
        Reply reply = send("GET", v.jobPath(id), null);
        if (reply.errors().stream().anyMatch(e -> e.number() == SlurmErrors.INVALID_JOB_ID)) {
            return Optional.empty();
        }
        List<SlurmJob> jobs = jobs(v, reply, "GET " + v.jobPath(id));
        return jobs.stream().filter(j -> j.id() == id).findFirst();
    }

    /** Every job slurmctld still knows that this user may see. */
    public List<SlurmJob> jobs() throws SlurmException {
        SlurmApi v = api();
        return jobs(v, send("GET", v.jobsPath(), null), "GET " + v.jobsPath());
    }

    /** This user's newest job named {@code name}, running or ended. */
    public Optional<SlurmJob> newest(String name) throws SlurmException {
        String user = user();
        return jobs().stream().filter(j -> name.equals(j.name()) && (j.user() == null || user.equals(j.user())))
                .max(Comparator.comparingLong(SlurmJob::submitTime).thenComparingLong(SlurmJob::id));
    }

    /**
     * Cancels the job as scancel does: SIGTERM to all its processes, SIGKILL after the cluster's KillWait. An
     * ended or forgotten job is left alone.
     */
    public void cancel(long id) throws SlurmException {
        SlurmApi v = api();
        Reply reply = send("DELETE", v.jobPath(id), null);
        boolean gone = !reply.errors().isEmpty() && reply.errors().stream().allMatch(
                e -> e.number() == SlurmErrors.INVALID_JOB_ID || e.number() == SlurmErrors.ALREADY_DONE);
        if (gone) {
            return;
        }
        check(reply, "the cancel of job " + id);
        LOG.info("asked Slurm to cancel job {}", id);
    }

    private List<SlurmJob> jobs(SlurmApi v, Reply reply, String what) throws SlurmException {
        check(reply, what);
        List<SlurmJob> jobs = new ArrayList<>();
        for (JsonNode job : reply.body().path("jobs")) {
            jobs.add(v.job(job));
        }
        return jobs;
    }

    private SlurmApi api() throws SlurmException {
        SlurmApi chosen = api;
        if (chosen == null) {
            synchronized (this) {
                if (api == null) {
                    api = negotiate();
                }
                chosen = api;
            }
        }
        return chosen;
    }

    /**
     * The highest version in {@link SlurmApi#SPOKEN} that {@code /openapi/v3} lists, or, where that is not served,
     * the highest that answers a ping. The ping also proves slurmctld takes the token.
     */
    private SlurmApi negotiate() throws SlurmException {
        Reply spec = send("GET", "/openapi/v3", null);
        Set<Integer> served = spec.status() == 200 ? servedVersions(spec.body()) : Set.of();
        if (!served.isEmpty()) {
            Optional<Integer> best = SlurmApi.SPOKEN.stream().filter(served::contains).findFirst();
            if (best.isEmpty()) {
                throw unsupported(served.stream().map(m -> "v0.0." + m).toList().toString());
            }
            SlurmApi chosen = SlurmApi.of(best.get());
            checkPing(send("GET", chosen.pingPath(), null), chosen);
            LOG.info("slurmrestd at {} serves {}; using {}", base, served, chosen.name());
            return chosen;
        }
        for (int minor : SlurmApi.SPOKEN) {
            SlurmApi candidate = SlurmApi.of(minor);
            Reply ping = send("GET", candidate.pingPath(), null);
            if (ping.status() == 404 || ping.body() == null) {
                continue;
            }
            checkPing(ping, candidate);
            LOG.info("slurmrestd at {} answers a {} ping; using it", base, candidate.name());
            return candidate;
        }
        throw unsupported("none of them");
    }

    private void checkPing(Reply ping, SlurmApi v) throws SlurmException {
        if (ping.errors().stream().anyMatch(e -> e.isUnspecified() || e.isAuth())) {
            // 22.05 passes the token through unchecked; slurmctld's refusal comes back as error -1.
            throw SlurmErrors.auth(ping.user(), null);
        }
        check(ping, "GET " + v.pingPath());
    }

    private SlurmException unsupported(String served) {
        return new SlurmException(Kind.UNSUPPORTED, "slurmrestd at " + base + " serves " + served + " of the API"
                + " versions this miner speaks (" + SlurmApi.SPOKEN.stream().map(m -> "v0.0." + m).toList()
                + "); start slurmrestd with one of them (-s openapi/v0.0.38 on Slurm 22.05) or check the URL");
    }

    static Set<Integer> servedVersions(JsonNode openapi) {
        Set<Integer> versions = new TreeSet<>(Comparator.reverseOrder());
        if (openapi == null) {
            return versions;
        }
        openapi.path("paths").fieldNames().forEachRemaining(path -> {
            Matcher m = VERSIONED_PATH.matcher(path);
            if (m.find()) {
                versions.add(Integer.parseInt(m.group(1)));
            }
        });
        return versions;
    }

    private void check(Reply reply, String what) throws SlurmException {
        if (reply.status() >= 300 || !reply.errors().isEmpty() || reply.body() == null) {
            if (reply.body() == null && reply.status() < 300) {
                throw new SlurmException(Kind.SERVER, "slurmrestd at " + base + " answered " + what
                        + " with something that is not JSON; check that the URL points at slurmrestd");
            }
            throw SlurmErrors.failed(reply.status(), what, reply.user(), reply.errors());
        }
    }

    private record Reply(int status, JsonNode body, List<SlurmError> errors, String user) {}

    private String user(String tokenValue) throws SlurmException {
        if (configuredUser != null) {
            return configuredUser;
        }
        return SlurmToken.userName(tokenValue).orElseThrow(() -> new SlurmException(Kind.AUTH, "no Slurm user"
                + " name: the token names none; set the Slurm user the token was made for"));
    }

    private Reply send(String method, String path, JsonNode body) throws SlurmException {
        String tokenValue = token.value();
        String user = user(tokenValue);
        Optional<Instant> expiry = SlurmToken.expiry(tokenValue);
        if (expiry.isPresent() && expiry.get().isBefore(Instant.now())) {
            throw SlurmErrors.auth(user, "it expired at " + expiry.get());
        }
        RequestBody content = null;
        if (body != null) {
            try {
                content = RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a JSON tree always serialises", e);
            }
        }
        Request request = new Request.Builder().url(HttpUrl.get(base + path)).method(method, content)
                .header("X-SLURM-USER-NAME", user).header("X-SLURM-USER-TOKEN", tokenValue)
                .header("Accept", "application/json").build();
        try (Response response = http.newCall(request).execute()) {
            int status = response.code();
            if (status == 401 || status == 403) {
                throw SlurmErrors.auth(user, "HTTP " + status);
            }
            String text = response.body().string();
            JsonNode json = parse(text);
            List<SlurmError> errors = SlurmErrors.of(json).stream().map(e -> new SlurmError(e.number(),
                    token.scrub(e.error()), token.scrub(e.description()), e.source())).toList();
            return new Reply(status, json, errors, user);
        } catch (InterruptedIOException e) {
            throw new SlurmException(Kind.TIMEOUT, "slurmrestd at " + base + " did not answer " + method + " " + path
                    + " within " + timeout.toSeconds() + " s; check that slurmrestd and slurmctld are up");
        } catch (IOException e) {
            throw new SlurmException(Kind.UNREACHABLE, "cannot reach slurmrestd at " + base + ": "
                    + token.scrub(String.valueOf(e.getMessage())) + "; check the slurmrestd URL and that it runs", e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode json = JSON.readTree(text);
            return json != null && json.isObject() ? json : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "SlurmRestClient[" + base + ", user " + (configuredUser == null ? "from token" : configuredUser) + "]";
    }
}
