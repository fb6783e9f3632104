package sn37.miner.fake;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The protocol violations a test provokes on purpose (a client sent a bad request to see the fake refuse it):
 * each value is a part of a violation's text. On a test method, every one must occur in that test, and no other
 * violation may; on a class, they are allowed in each of its tests (and around them) without being required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ExpectedFakeViolations {
    String[] value();
}
