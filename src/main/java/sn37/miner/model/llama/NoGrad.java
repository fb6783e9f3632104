package sn37.miner.model.llama;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns autograd recording off on this thread until closed. PyTorch's grad mode is per thread and
 * on by default, and DJL only turns it off on the thread that first loads the engine, so any
 * other thread (a pipeline consumer) must say so itself before in-place updates of parameters.
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;

    private NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    public static NoGrad enter() {
        return new NoGrad();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
