package sn37.miner.train.plan;

import java.util.ArrayList;
import java.util.List;
import sn37.miner.train.plan.PlanRequest.Backend;

/**
 * What {@link MemoryPlanner#check} tries when a plan does not fit, smallest departure first: activation
 * checkpointing; FSDP over more GPUs of the same node (up to 8); LoRA rank 16; one example per GPU
 * (accumulate to keep the batch); then LoRA with all of these. A DJL plan first tries LoRA and
 * micro-batch 1 on DJL, then the PyTorch trainer.
 */
final class Alternatives {

    /** GPUs of one node that FSDP may spread over: the common 8-GPU server. */
    static final int NODE_GPUS = 8;
    static final int LORA_RANK = 16;

    /** @param change what differs from the request, in words: "LoRA rank 16 with activation checkpointing" */
    record Alternative(String change, PlanRequest request) {}

    private Alternatives() {
    }

    static List<Alternative> of(PlanRequest request) {
        List<Alternative> out = new ArrayList<>();
        if (request.backend() == Backend.DJL) {
            if (!request.lora()) {
                out.add(new Alternative("LoRA rank " + LORA_RANK, request.withLoraRank(LORA_RANK)));
            }
            if (request.microBatch() > 1) {
                out.add(new Alternative(oneExampleEach(request, 1), request.withMicroBatch(1)));
                if (!request.lora()) {
                    out.add(new Alternative("LoRA rank " + LORA_RANK + " and " + oneExampleEach(request, 1),
                            request.withLoraRank(LORA_RANK).withMicroBatch(1)));
                }
            }
            PlanRequest torch = PlanRequest.torch(request.model(), request.sequenceLength(), request.microBatch(), 1)
                    .withLoraRank(request.loraRank()).withDevice(request.device())
                    .withLossTokens(request.lossTokens());
            out.add(new Alternative("the PyTorch trainer (--trainer torch: bf16, FSDP, activation checkpointing)",
                    torch));
            torchAlternatives(torch, " with the PyTorch trainer", out);
            return out;
        }
        torchAlternatives(request, "", out);
        return out;
    }

    private static void torchAlternatives(PlanRequest request, String suffix, List<Alternative> out) {
        PlanRequest base = request;
        String with = suffix;
        if (!request.checkpointing()) {
            base = request.withCheckpointing(true);
            with = " with activation checkpointing" + suffix;
            out.add(new Alternative("activation checkpointing" + suffix, base));
        }
        int first = request.fsdp() ? request.worldSize() + 1 : request.worldSize();
        for (int gpus = 1; gpus <= NODE_GPUS; gpus *= 2) {
            if (gpus >= first) {
                out.add(new Alternative("FSDP over " + request.processes(gpus) + with,
                        base.withFsdp(true).withWorldSize(gpus)));
            }
        }
        if (!request.lora()) {
            out.add(new Alternative("LoRA rank " + LORA_RANK + with, base.withLoraRank(LORA_RANK)));
        }
        if (request.examplesPerProcess() > 1) {
            out.add(new Alternative(oneExampleEach(request, request.worldSize()) + with,
                    base.withMicroBatch(request.worldSize())));
            if (!request.lora()) {
                out.add(new Alternative("LoRA rank " + LORA_RANK + " and " + oneExampleEach(request,
                        request.worldSize()) + with, base.withLoraRank(LORA_RANK).withMicroBatch(request.worldSize())));
            }
        }
        int most = Math.max(NODE_GPUS, request.worldSize());
        if (!(request.fsdp() && request.worldSize() >= most) && (!request.lora() || request.microBatch() > most)) {
            List<String> changes = new ArrayList<>();
            PlanRequest smallest = base.withLoraRank(request.lora() ? request.loraRank() : LORA_RANK);
            if (!request.lora()) {
                changes.add("LoRA rank " + LORA_RANK);
            }
            if (request.microBatch() > most) {
                changes.add(oneExampleEach(request, most));
                smallest = smallest.withMicroBatch(most);
            }
            changes.add("FSDP over " + request.processes(most));
            out.add(new Alternative(String.join(" and ", changes) + with, smallest.withFsdp(true).withWorldSize(most)));
        }
    }

    /** "micro-batch 1 (accumulate to keep the batch of 8)", "micro-batch 4 (one example per GPU; ...)". */
    private static String oneExampleEach(PlanRequest request, int processes) {
        return "micro-batch " + processes + " (" + (processes == 1 ? "" : "one example per "
                + request.processes(1).substring(2) + "; ") + "accumulate to keep the batch of "
                + request.microBatch() + ")";
    }
}
