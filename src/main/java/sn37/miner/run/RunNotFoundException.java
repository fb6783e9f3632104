package sn37.miner.run;

public class RunNotFoundException extends RuntimeException {
    public RunNotFoundException(String runId) {
        super("no run with id '" + runId + "'");
    }
}
