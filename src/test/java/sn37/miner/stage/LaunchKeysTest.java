package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import sn37.miner.config.ConfigException;
import sn37.miner.config.Env;
import sn37.miner.config.Settings;
import sn37.miner.launch.LaunchSettings;
import sn37.miner.launch.slurm.SlurmSettings;

class LaunchKeysTest {
    private static Settings settings(String... flags) {
        return Settings.load(Path.of("").toAbsolutePath(), Env.of(Map.of()), List.of(flags));
    }

    @Test
    void withoutAnAddressNoClusterIsConfigured() {
        LaunchSettings launch = LaunchKeys.from(settings(), Env.of(Map.of("SLURM_JWT", "jwt")));
        assertEquals(Optional.empty(), launch.slurm());
        assertEquals("jwt", launch.slurmToken().orElseThrow().reveal());
    }

    @Test
    void theSlurmKeysBecomeTheLaunchersSettings() {
        LaunchSettings launch = LaunchKeys.from(settings("--train.slurm.url=http://head:6820",
                "--train.slurm.partition=gpu", "--train.slurm.tasks-per-node=2", "--train.slurm.gpus-per-node=8",
                "--train.slurm.cpus-per-task=16", "--train.slurm.time-limit-minutes=90"), Env.of(Map.of()));
        SlurmSettings slurm = launch.slurm().orElseThrow();
        assertEquals(URI.create("http://head:6820"), slurm.url());
        assertEquals(null, slurm.user(), "an empty user is the token's own");
        assertEquals("gpu", slurm.partition());
        assertEquals(2, slurm.tasksPerNode());
        assertEquals(Duration.ofMinutes(90), slurm.timeLimit());
        assertEquals(4, slurm.ompThreads(4));
        assertEquals(Optional.empty(), launch.slurmToken());
    }

    @Test
    void slurmKeysThatDoNotFitTogetherAreRefusedAtStartup() {
        ConfigException e = assertThrows(ConfigException.class, () -> LaunchKeys.paths(settings(
                "--train.slurm.url=http://head:6820", "--train.slurm.tasks-per-node=2",
                "--train.slurm.gpus-per-node=3")));
        assertTrue(e.getMessage().startsWith("the train.slurm settings do not fit together: the 3 GPUs per node"),
                e.getMessage());
    }
}
