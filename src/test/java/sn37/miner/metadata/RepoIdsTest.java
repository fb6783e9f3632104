package sn37.miner.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class RepoIdsTest {

    @TestFactory
    Stream<DynamicTest> validatesEveryRepoIdVectorAsTaoverse() {
        return Vectors.list(Vectors.metadata().get("validate_hf_repo_id")).stream()
                .map(v -> DynamicTest.dynamicTest("'" + v.get("repo_id").asText() + "'", () -> check(v)));
    }

    private static void check(JsonNode v) {
        String repoId = v.get("repo_id").asText();
        assertEquals(v.get("python_len").asInt(), repoId.codePointCount(0, repoId.length()));
        if (v.get("ok").asBoolean()) {
            assertEquals(new RepoName(v.get("namespace").asText(), v.get("name").asText()), RepoIds.validate(repoId));
        } else {
            InvalidRepoIdException e = assertThrows(InvalidRepoIdException.class, () -> RepoIds.validate(repoId));
            assertEquals(v.get("error_message").asText(), e.getMessage());
            assertEquals(repoId, e.repoId());
        }
    }

    @Test
    void countsLengthInCodePointsNotUtf16Units() {
        String emojiName = "ab/" + "\uD83D\uDE00".repeat(35);
        assertEquals(70 + 3, emojiName.length());
        assertEquals(new RepoName("ab", "\uD83D\uDE00".repeat(35)), RepoIds.validate(emojiName));
    }

    @Test
    void rejectsNullAsEmpty() {
        InvalidRepoIdException e = assertThrows(InvalidRepoIdException.class, () -> RepoIds.validate(null));
        assertEquals("Hugging Face repo id cannot be empty.", e.getMessage());
    }

    @Test
    void joinsTheRepoIdBack() {
        assertEquals("my-org/my-repo", RepoIds.validate("my-org/my-repo").repoId());
    }
}
