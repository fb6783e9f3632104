package sn37.miner.stage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.launch.LaunchSettings;
import sn37.miner.model.CheckpointDir;
import sn37.miner.train.ChatExample;
import sn37.miner.train.plan.DeviceMemory;
import sn37.miner.train.plan.MemoryPlan;
import sn37.miner.train.plan.MemoryPlanner;
import sn37.miner.train.plan.ModelShape;
import sn37.miner.train.plan.PlanRequest;
import sn37.miner.train.plan.PlanTooLargeException;

/** The memory planner asked, before a PyTorch job starts, whether its plan fits one of the job's devices. */
final class TrainMemoryCheck {
    private static final Logger LOG = LoggerFactory.getLogger(TrainMemoryCheck.class);

    private TrainMemoryCheck() {}

    /**
     * Throws a {@link StageException} with the planner's one line when the plan cannot fit.
     *
     * @param nprocPerNode processes per node as the launcher runs them (one per GPU it allocates)
     */
    static MemoryPlan require(RunParams p, int nprocPerNode, LaunchSettings launch, Path startModel,
            List<ChatExample> examples, int sequenceLength) throws IOException {
        boolean cpu = "cpu".equals(p.device());
        int worldSize = p.nnodes() * nprocPerNode;
        int longest = examples.stream().mapToInt(ChatExample::length).max().orElse(sequenceLength);
        long scored = examples.stream().mapToLong(e -> e.length() - e.promptLength() + 1L).max().orElse(0);
        PlanRequest request = PlanRequest.torch(ModelShape.read(startModel.resolve(CheckpointDir.CONFIG)),
                        Math.min(longest, sequenceLength), p.batchSize(), worldSize)
                .withLoraRank(p.loraRank())
                .withDevice(cpu ? PlanRequest.Device.CPU : PlanRequest.Device.CUDA)
                .withPrecision(cpu ? PlanRequest.Precision.FP32 : PlanRequest.Precision.BF16_MIXED)
                .withLossTokens(scored * Math.max(1, p.batchSize() / worldSize));
        MemoryPlan plan = MemoryPlanner.plan(request);
        OptionalLong device = launch.deviceMemoryGib() != null
                ? OptionalLong.of(launch.deviceMemoryGib() * (1L << 30))
                : cpu ? DeviceMemory.cpu(nprocPerNode) : DeviceMemory.cuda();
        if (device.isEmpty()) {
            LOG.warn("the memory plan ({} GiB per device) is not checked: this machine cannot tell the devices'"
                    + " memory; set train.device-memory-gib", MemoryPlan.gib(plan.total()));
            return plan;
        }
        try {
            MemoryPlanner.check(plan, device.getAsLong());
        } catch (PlanTooLargeException e) {
            throw new StageException(e.getMessage());
        }
        LOG.info("memory plan: {} GiB per device of {} GiB ({})", MemoryPlan.gib(plan.total()),
                MemoryPlan.gib(device.getAsLong()), plan.breakdown());
        return plan;
    }
}
