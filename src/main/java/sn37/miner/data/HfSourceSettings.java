package sn37.miner.data;

/**
 * How the HF dataset source samples SN1 rows; defaults follow finetuning HEAD
 * ({@code macrocosmos_dataset_loader.py}, {@code constants/__init__.py}, reference-miner.md §6.4).
 *
 * @param dataset {@code macrocosm-os/macrobench-bittensor-01}
 * @param configs configs sampled per load ({@code NUM_CONFIGS_TO_SAMPLE} 10)
 * @param minRows fewer valid rows than this fail the source ({@code MIN_ALLOWED_SAMPLES} 50)
 * @param target rows kept after the seeded shuffle ({@code --latest_prompting_samples} 700 at HEAD);
 *     {@code --data_limit} overrides it
 * @param pageSize rows per {@code /rows} request, at most {@link DatasetViewerClient#MAX_PAGE}
 * @param attempts tries per request ({@code @retry(tries=5)})
 */
public record HfSourceSettings(String dataset, int configs, int minRows, int target, int pageSize, int attempts) {

    public static final String DATASET = "macrocosm-os/macrobench-bittensor-01";

    public HfSourceSettings {
        if (dataset == null || !dataset.matches("[\\w.-]+/[\\w.-]+")) {
            throw new IllegalArgumentException("HF dataset must be namespace/name, got '" + dataset + "'");
        }
        if (configs < 1 || minRows < 1 || target < 1 || attempts < 1) {
            throw new IllegalArgumentException("HF source configs, minRows, target and attempts must be >= 1");
        }
        if (pageSize < 1 || pageSize > DatasetViewerClient.MAX_PAGE) {
            throw new IllegalArgumentException("HF source pageSize must be in [1, 100], got " + pageSize);
        }
    }

    public static HfSourceSettings defaults() {
        return new HfSourceSettings(DATASET, 10, 50, 700, DatasetViewerClient.MAX_PAGE, 5);
    }

    public HfSourceSettings withTarget(int t) {
        return new HfSourceSettings(dataset, configs, minRows, t, pageSize, attempts);
    }
}
