package sn37.miner.eval.torch;

/** The PyTorch evaluator could not score a task: it did not start, failed, or wrote no readable result. */
public final class TorchEvalException extends RuntimeException {
    public TorchEvalException(String message) {
        super(message);
    }

    public TorchEvalException(String message, Throwable cause) {
        super(message, cause);
    }
}
