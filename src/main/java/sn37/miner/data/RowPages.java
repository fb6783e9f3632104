package sn37.miner.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pages of dataset rows in the dataset viewer's shapes: the viewer itself, or the bundled sample. */
public interface RowPages {

    /** {@code /size}: every (config, split) and its row count. */
    List<DatasetViewerClient.SplitSize> size(String dataset) throws IOException;

    /** {@code /rows}: {@code length} (at most 100) rows from {@code offset}. */
    DatasetViewerClient.RowsPage rows(String dataset, String config, String split, long offset, int length)
            throws IOException;

    /**
     * The configs pages are drawn from, as finetuning's {@code fetch_dataset_configs}: {@code /size} keyed by config
     * (a later split of the same config replaces an earlier one); with several configs, "default" is left out.
     *
     * @param source the loading source, as its errors name it
     * @throws DataSourceException when {@code /size} fails or lists no config
     */
    default Map<String, DatasetViewerClient.SplitSize> configs(String dataset, String source) throws IOException {
        List<DatasetViewerClient.SplitSize> sizes;
        try {
            sizes = size(dataset);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new DataSourceException("cannot list the configs of " + source + ": " + e.getMessage(), e);
        }
        Map<String, DatasetViewerClient.SplitSize> configs = new LinkedHashMap<>();
        for (DatasetViewerClient.SplitSize s : sizes) {
            if (sizes.size() == 1 || !s.config().equals("default")) {
                configs.put(s.config(), s);
            }
        }
        if (configs.isEmpty()) {
            throw new DataSourceException("no configs found in " + source + " (the dataset viewer lists none)");
        }
        return configs;
    }

    /** Where the rows come from, for provenance: {@code viewer} or {@code bundled}. */
    String describe();
}
