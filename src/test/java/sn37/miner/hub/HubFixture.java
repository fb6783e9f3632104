package sn37.miner.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import okhttp3.OkHttpClient;
import sn37.miner.fake.FakeHub;

/** A fake Hub, clients on it with a recording sleeper, and test files. */
final class HubFixture implements AutoCloseable {
    static final String WRITE_TOKEN = "hf_writeTokenAbCdEf0123456789";
    static final String READ_TOKEN = "hf_readTokenAbCdEf0123456789";
    static final String REPO = "miner/sn37-model";
    static final RepoId REPO_ID = RepoId.parse(REPO);

    final FakeHub fake;
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final OkHttpClient http = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).build();

    HubFixture() throws IOException {
        fake = FakeHub.start(WRITE_TOKEN, READ_TOKEN);
    }

    HubClient client() {
        return client(HubToken.of(WRITE_TOKEN));
    }

    HubClient client(HubToken token) {
        return HubClient.builder(fake.endpoint(), token).httpClient(http).sleeper(sleeps::add).partParallelism(3)
                .build();
    }

    List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    static List<Duration> seconds(long... values) {
        List<Duration> all = new ArrayList<>();
        for (long v : values) {
            all.add(Duration.ofSeconds(v));
        }
        return all;
    }

    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static Path write(Path dir, String name, byte[] data) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, data);
    }

    void assertNoViolations() {
        assertEquals(List.of(), fake.violations(), "the fake Hub saw protocol violations");
    }

    @Override
    public void close() {
        fake.close();
    }
}
