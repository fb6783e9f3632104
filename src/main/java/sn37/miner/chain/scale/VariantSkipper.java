package sn37.miner.chain.scale;

/**
 * Knows the field layout of an enum's variants, typically from runtime metadata, so a decoder can step
 * over a variant it has no Java type for.
 */
@FunctionalInterface
public interface VariantSkipper {
    /** Reads past the fields of variant {@code index} and returns true, or returns false if it does not know it. */
    boolean skipFields(int index, ScaleReader reader);

    VariantSkipper NONE = (index, reader) -> false;
}
