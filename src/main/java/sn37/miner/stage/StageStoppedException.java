package sn37.miner.stage;

/**
 * A stage stopped on request before it finished its planned work (a cancel, or the process told to stop). It is
 * not SUCCEEDED: the runner records {@link #outputs()} (what a resume continues from, e.g. train's checkpoint)
 * with the stage stopped, and a resume runs the stage again.
 */
public class StageStoppedException extends StageException {
    private final transient Object outputs;

    public StageStoppedException(String message, Object outputs) {
        super(message);
        this.outputs = outputs;
    }

    /** The stage's outputs at the stop, serialisable to JSON like a finished stage's. */
    public Object outputs() {
        return outputs;
    }
}
