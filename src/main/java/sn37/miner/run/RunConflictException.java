package sn37.miner.run;

/** The run is not in a state that allows the request (resume a SUCCEEDED run, cancel a finished one). */
public class RunConflictException extends RuntimeException {
    public RunConflictException(String message) {
        super(message);
    }
}
