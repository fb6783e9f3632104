package sn37.miner.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class HubValuesTest {
    @Test
    void parsesRepoIds() {
        assertEquals(new RepoId("miner", "sn37-model.v2"), RepoId.parse("miner/sn37-model.v2"));
        assertThrows(IllegalArgumentException.class, () -> RepoId.parse("no-namespace"));
        assertThrows(IllegalArgumentException.class, () -> RepoId.parse("a/b/c"));
        assertThrows(IllegalArgumentException.class, () -> RepoId.parse("miner/bad--name"));
    }

    @Test
    void rejectsPathsThatEscapeTheRepo() {
        assertEquals("dir/file.json", new CommitOperation.Delete("/dir/file.json").pathInRepo());
        assertThrows(IllegalArgumentException.class, () -> new CommitOperation.Add("../x", Path.of("x")));
        assertThrows(IllegalArgumentException.class, () -> new CommitOperation.Delete(".git/config"));
    }

    @Test
    void readsRetryAfterWhenNoRateLimitHeaderSaysMore() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), RateLimitWait.of(response(503, "Retry-After", "7")));
        assertEquals(Optional.of(Duration.ofSeconds(11)),
                RateLimitWait.of(response(429, "RateLimit", "\"api\";r=0;t=10")));
        assertEquals(Optional.empty(), RateLimitWait.of(response(429, "RateLimit", "\"api\";r=3;t=10")));
        assertEquals(Optional.empty(), RateLimitWait.of(response(500, "Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")));
    }

    @Test
    void normalizesWeakQuotedEtags() {
        assertEquals("abc123", Downloads.normalizeEtag("W/\"abc123\""));
        assertEquals("abc123", Downloads.normalizeEtag("\"abc123\""));
    }

    private static Response response(int code, String header, String value) {
        return new Response.Builder().request(new Request.Builder().url("http://127.0.0.1/x").build())
                .protocol(Protocol.HTTP_1_1).code(code).message("x").header(header, value).build();
    }
}
