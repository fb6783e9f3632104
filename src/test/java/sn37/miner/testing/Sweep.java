package sn37.miner.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A generated bad-input sweep: hundreds of cases from one rule. Surefire runs sweeps in their own execution, so its
 * summary counts them apart from the behaviour tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("sweep")
public @interface Sweep {}
