package sn37.miner.fake;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared check of the fakes' violations: what it lets through and what it fails. */
class FakeViolationsCheckTest {
    @Test
    void aViolationNoTestExpectedFailsTheTest() {
        AssertionError e = assertThrows(AssertionError.class, () -> FakeViolationsCheck.check(
                List.of("FakeHub: preupload of 257 files in one call"), List.of(), List.of(), "t()"));
        assertEquals("t(): a fake remote service saw protocol violations: [FakeHub: preupload of 257 files in one call]",
                e.getMessage());
    }

    @Test
    void anExpectedViolationThatDidNotOccurFailsTheTest() {
        AssertionError e = assertThrows(AssertionError.class, () -> FakeViolationsCheck.check(
                List.of(), List.of("wrong ETag"), List.of("wrong ETag"), "t()"));
        assertTrue(e.getMessage().startsWith("t(): expected fake violations did not occur: [wrong ETag]"), e.getMessage());
    }

    @Test
    void expectedViolationsPassAndAllowedOnesNeedNotOccur() {
        FakeViolations.takeNew();
        FakeViolationsCheck.check(List.of("FakeHub: wrong ETag for part 1"), List.of("wrong ETag"),
                List.of("wrong ETag", "presigned"), "t()");
    }

    @Test
    void everyStartedFakeIsWatchedAndItsNewViolationsAreTakenOnce() throws Exception {
        try (FakeDatasetViewer viewer = FakeDatasetViewer.start("owner/data", "token")) {
            FakeViolations.takeNew();
            get(viewer, "/nowhere?dataset=owner/data");
            assertEquals(List.of("FakeDatasetViewer: no such endpoint /nowhere"), FakeViolations.takeNew());
            assertEquals(List.of(), FakeViolations.takeNew());
        }
    }

    @Test
    @ExpectedFakeViolations("Parameter 'length' must not be greater than 100")
    void aTestThatProvokesAViolationOnPurposeNamesIt() throws Exception {
        try (FakeDatasetViewer viewer = FakeDatasetViewer.start("owner/data", "token")) {
            HttpResponse<String> r = get(viewer, "/rows?dataset=owner/data&config=c&split=c&offset=0&length=101");
            assertEquals(422, r.statusCode());
        }
    }

    private static HttpResponse<String> get(FakeDatasetViewer viewer, String pathAndQuery)
            throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(viewer.baseUrl() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
