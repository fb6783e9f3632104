package sn37.miner.competition;

/**
 * One weighted task in a competition's composite score (taoverse model/eval/task.py). Raw scores
 * are lower-is-better; the composite is Σ weight × normalize(raw).
 *
 * @param ceiling the INVERSE_EXPONENTIAL ceiling; null for NONE
 */
public record EvalTask(String name, double weight, Normalization normalization, Double ceiling) {

    public enum Normalization {
        NONE,
        INVERSE_EXPONENTIAL
    }

    public EvalTask {
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalArgumentException(name + ": weight must be in (0, 1], got " + weight);
        }
        if ((normalization == Normalization.INVERSE_EXPONENTIAL) != (ceiling != null)) {
            throw new IllegalArgumentException(
                    name + ": a ceiling is required with, and only with, INVERSE_EXPONENTIAL");
        }
        if (ceiling != null && !(ceiling > 0)) {
            throw new IllegalArgumentException(name + ": ceiling must be > 0, got " + ceiling);
        }
    }

    public static EvalTask raw(String name, double weight) {
        return new EvalTask(name, weight, Normalization.NONE, null);
    }

    public static EvalTask inverseExponential(String name, double weight, double ceiling) {
        return new EvalTask(name, weight, Normalization.INVERSE_EXPONENTIAL, ceiling);
    }

    /**
     * taoverse model/eval/normalization.py: clips at the ceiling, maps [0, ceiling) onto [0, 1).
     */
    public double normalize(double rawScore) {
        if (normalization == Normalization.NONE) {
            return rawScore;
        }
        if (rawScore >= ceiling) {
            return 1.0;
        }
        return (1 - Math.exp(-rawScore / ceiling)) / (1 - Math.exp(-1));
    }
}
