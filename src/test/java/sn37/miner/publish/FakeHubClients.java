package sn37.miner.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.OkHttpClient;
import sn37.miner.fake.FakeHub;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.HubToken;

/** A strict fake Hub with clients on it that record retry waits instead of sleeping. */
public final class FakeHubClients implements AutoCloseable {
    public static final String WRITE_TOKEN = "hf_publishWriteToken0123456789";
    public static final String READ_TOKEN = "hf_publishReadToken0123456789";

    public final FakeHub fake;
    public final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final OkHttpClient http = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).build();

    public FakeHubClients() throws IOException {
        fake = FakeHub.start(WRITE_TOKEN, READ_TOKEN);
    }

    public HubClient client() {
        return client(WRITE_TOKEN, 1);
    }

    public HubClient client(String token, int partParallelism) {
        return create(fake.endpoint(), HubToken.of(token), partParallelism);
    }

    public HubClient create(String endpoint, HubToken token, int partParallelism) {
        return HubClient.builder(endpoint, token).httpClient(http).sleeper(sleeps::add)
                .partParallelism(partParallelism).build();
    }

    /** Every request of these kinds, summed. */
    public int count(FakeHub.Kind... kinds) {
        int n = 0;
        for (FakeHub.Kind kind : kinds) {
            n += fake.count(kind);
        }
        return n;
    }

    public void assertNoViolations() {
        assertEquals(List.of(), fake.violations(), "the fake Hub saw protocol violations");
    }

    @Override
    public void close() {
        fake.close();
    }
}
