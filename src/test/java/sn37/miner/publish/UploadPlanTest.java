package sn37.miner.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.hub.FileDigests;
import sn37.miner.metadata.DirectoryHash;

class UploadPlanTest {
    private static final ModelConstraints B7 = ModelConstraints.B7_OCT_2024;

    @TempDir
    Path tmp;

    @Test
    void hashesExactlyTheUploadedFilesLikeAnIndependentDirectoryHash() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 4, 20_000, 90_000, 1);
        TinyModels.writeText(dir, "optimizer.pt", "not uploaded, not hashed");

        UploadPlan plan = UploadPlan.prepare("miner/sn37-model", dir, B7, 2);

        List<String> files = List.copyOf(plan.files().keySet());
        assertEquals(DirectoryHash.ofFiles(dir, files), plan.dirHash());
        assertEquals(List.of("optimizer.pt"), plan.ignored());
        long total = 0;
        for (String path : files) {
            assertEquals(FileDigests.sha256Hex(dir.resolve(path)), plan.files().get(path).sha256());
            total += Files.size(dir.resolve(path));
        }
        assertEquals(total, plan.totalBytes());
        assertEquals("Upload LlamaForCausalLM", plan.commitSummary());
        assertEquals("miner/sn37-model", plan.repo().toString());
    }

    @Test
    void refusesARepoIdOf39Characters() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 1, 10, 1_000_000, 1);
        String repo = "miner/" + "m".repeat(33);

        PublishException e = assertThrows(PublishException.class, () -> UploadPlan.prepare(repo, dir, B7, 2));

        assertEquals(39, repo.length());
        assertTrue(e.getMessage().startsWith("--hf_repo_id '" + repo + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("between 3 and 38 characters"), e.getMessage());
    }

    @Test
    void refusesARepoIdWithTwoSlashes() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 1, 10, 1_000_000, 1);

        PublishException e = assertThrows(PublishException.class,
                () -> UploadPlan.prepare("miner/sn37/model", dir, B7, 2));

        assertTrue(e.getMessage().contains("<org or user name>/<repo_name>"), e.getMessage());
    }

    @Test
    void refusesARepoIdTheHubWouldRefuse() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 1, 10, 1_000_000, 1);

        PublishException e = assertThrows(PublishException.class, () -> UploadPlan.prepare("miner/a--b", dir, B7, 2));

        assertTrue(e.getMessage().contains("no '--'"), e.getMessage());
    }

    @Test
    void refusesADirOverTheCompetitionsSizeLimit() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 2, 1_000, 1_000_000, 1);

        PublishException e = assertThrows(PublishException.class,
                () -> UploadPlan.prepare("miner/sn37-model", dir, TinyModels.b7(2_000), 2));

        assertTrue(e.getMessage().contains("over competition 2's limit of 2000 bytes"), e.getMessage());
    }

    @Test
    void refusesAnArchitectureTheCompetitionDoesNotAccept() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 1, 10, 1_000_000, 1);
        String config = Files.readString(dir.resolve("config.json")).replace("LlamaForCausalLM", "Qwen2ForCausalLM");
        Files.writeString(dir.resolve("config.json"), config);

        PublishException e = assertThrows(PublishException.class, () -> UploadPlan.prepare("miner/sn37-model", dir, B7, 2));

        assertTrue(e.getMessage().contains("is a Qwen2ForCausalLM, which competition 2 does not accept"), e.getMessage());
    }
}
