package sn37.miner.chain;

/**
 * Why a dispatched call failed: for a module error the pallet and its error variant, named from the runtime
 * metadata (e.g. {@code Commitments} / {@code CommitmentSetRateLimitExceeded}); otherwise the
 * {@code DispatchError} variant (e.g. {@code BadOrigin}) with an empty pallet.
 */
public record DispatchFailure(String pallet, String error) {

    public boolean isModuleError(String palletName, String errorName) {
        return pallet.equals(palletName) && error.equals(errorName);
    }

    public String describe() {
        return pallet.isEmpty() ? "DispatchError::" + error : pallet + "." + error;
    }
}
