package sn37.miner.data;

import java.io.IOException;
import java.util.List;

/** Pages of dataset rows in the dataset viewer's shapes: the viewer itself, or the bundled sample. */
public interface RowPages {

    /** {@code /size}: every (config, split) and its row count. */
    List<DatasetViewerClient.SplitSize> size(String dataset) throws IOException;

    /** {@code /rows}: {@code length} (at most 100) rows from {@code offset}. */
    DatasetViewerClient.RowsPage rows(String dataset, String config, String split, long offset, int length)
            throws IOException;

    /** Where the rows come from, for provenance: {@code viewer} or {@code bundled}. */
    String describe();
}
