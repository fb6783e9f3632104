package sn37.miner.run;

/** Life of an at-most-once side effect such as a Hub commit or a chain commitment. */
public enum EffectStatus {
    /** Recorded before the remote call: the remote may or may not have it. Reconcile before re-sending. */
    INTENDED,
    /** The remote confirmed it (commit oid, block number recorded). */
    CONFIRMED,
    /** Reconciliation showed the remote never got it: safe to send again. */
    ABSENT
}
