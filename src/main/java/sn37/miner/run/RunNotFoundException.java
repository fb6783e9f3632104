package sn37.miner.run;

import sn37.miner.util.Echo;

public class RunNotFoundException extends RuntimeException {
    public RunNotFoundException(String runId) {
        super("no run with id " + Echo.quoted(runId));
    }
}
