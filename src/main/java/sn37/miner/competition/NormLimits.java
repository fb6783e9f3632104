package sn37.miner.competition;

/**
 * Validators' weight-norm check (taoverse NormValidationConstraints): any projection norm above
 * {@code hard} rejects the model; so does a mean fraction above {@code soft} exceeding {@code
 * softPercent}.
 */
public record NormLimits(double soft, double softPercent, double hard) {

    /** The only values ever used by SN37 (constants/__init__.py @8e2b0cbb and @afd44037). */
    public static final NormLimits SN37 = new NormLimits(200, 0.15, 1000);
}
