package sn37.miner.launch.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sn37.miner.launch.JobRequest;

/** The batch script: one torchrun agent per task, and every argument reaching it unchanged. */
class BatchScriptTest {
    private static final List<String> AWKWARD = List.of("plain", "two words", "it's", "$HOME", "`id`", "a\"b",
            "back\\slash", "", "*", "new\nline", "--job=/x/job.json");

    @Test
    void quotesEveryArgumentSoBashPassesItLiterally() throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c"));
        StringBuilder line = new StringBuilder("printf '%s\\0'");
        AWKWARD.forEach(a -> line.append(' ').append(BatchScript.quote(a)));
        command.add(line.toString());
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));

        assertEquals(AWKWARD, List.of(out.split("\0", -1)).subList(0, AWKWARD.size()));
    }

    @Test
    void runsTorchrunUnderSrunWithRendezvousOnTheFirstNode() {
        JobRequest request = new JobRequest("sn37-r-a1", Path.of("/shared/job"), Path.of("/opt/py env/bin/python"),
                List.of("/repo/trainer/train.py", "--job", "/shared/job/job.json"), 2, 4, Map.of(),
                Path.of("/shared/job/log"));

        String script = BatchScript.torchrun(request, 0);

        assertTrue(script.startsWith("#!/bin/bash\n"), script);
        assertTrue(script.contains("head_node=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\n"));
        assertTrue(script.contains("rdzv_port=$((20000 + SLURM_JOB_ID % 10000))\n"), script);
        assertTrue(script.endsWith("exec srun --kill-on-bad-exit=1 '/opt/py env/bin/python' -m torch.distributed.run"
                + " --nnodes 2 --nproc_per_node 4 --rdzv_backend c10d --rdzv_endpoint \"$head_node:$rdzv_port\""
                + " --rdzv_id \"$SLURM_JOB_ID\" '/repo/trainer/train.py' '--job' '/shared/job/job.json'\n"), script);
        assertTrue(BatchScript.torchrun(request, 29400).contains("rdzv_port=29400\n"));
    }
}
