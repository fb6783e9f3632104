package sn37.miner.eval;

/** Where an evaluation says how far it is: samples of a task scored so far. Called on the evaluating thread. */
@FunctionalInterface
public interface EvalProgress {
    EvalProgress NONE = (task, done, total) -> {};

    void scored(String task, int done, int total);
}
