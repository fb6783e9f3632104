package sn37.miner.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that starts child JVMs, a browser, real engines (torchrun, a Slurm cluster) or waits on real cron. The quick
 * profile ({@code mvn test -Pquick}) leaves these out; the README's test command, and so CI, runs them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
public @interface Slow {}
