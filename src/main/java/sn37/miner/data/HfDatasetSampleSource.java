package sn37.miner.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SN1 rows from the HF dataset the validators read since Feb 2025, as finetuning HEAD's
 * {@code MacrocosmosDatasetLoader} samples it: list the configs, pick {@code configs} of them with the seed, read
 * every row of each (split = config name) through the dataset viewer, keep rows with a reference in A-D from a
 * validator hotkey, shuffle with the seed and keep {@code target}. A config that fails to load is skipped, as the
 * reference does; fewer than {@code minRows} valid rows fail the source.
 */
public final class HfDatasetSampleSource implements SampleSource {
    private static final Logger LOG = LoggerFactory.getLogger(HfDatasetSampleSource.class);
    static final String TRUNCATED = "cell truncated by the dataset viewer";

    private record Pending(String where, JsonNode row, String skip, String detail) {}

    private final DatasetViewerClient viewer;
    private final HfSourceSettings options;
    private final ValidatorCheck validators;
    private final long seed;

    public HfDatasetSampleSource(DatasetViewerClient viewer, HfSourceSettings options, ValidatorCheck validators,
            long seed) {
        this.viewer = viewer;
        this.options = options;
        this.validators = validators;
        this.seed = seed;
    }

    @Override
    public int validatorSamples() {
        return McSplit.HF_VALIDATOR_SAMPLES;
    }

    @Override
    public String describe() {
        return "hf:" + options.dataset();
    }

    @Override
    public SampleLoad load() throws IOException {
        validators.requireUsable(describe());
        List<DatasetViewerClient.Split> splits;
        try {
            splits = viewer.splits(options.dataset());
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new DataSourceException("cannot list the configs of " + describe() + ": " + e.getMessage(), e);
        }
        TreeSet<String> configs = new TreeSet<>();
        splits.forEach(s -> configs.add(s.config()));
        if (configs.isEmpty()) {
            throw new DataSourceException("no configs found in " + describe() + " (the dataset viewer lists none)");
        }
        Random rng = new Random(seed);
        List<String> sampled = sample(new ArrayList<>(configs), options.configs(), rng);

        LoadTally tally = new LoadTally(Integer.MAX_VALUE);
        Map<String, Integer> loaded = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (String config : sampled) {
            if (!splits.contains(new DatasetViewerClient.Split(config, config))) {
                failed.put(config, "config has no split named '" + config + "' (the loader reads split = config)");
                continue;
            }
            List<Pending> rows;
            try {
                rows = readConfig(config);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                LOG.warn("skipping config {} of {}: {}", config, describe(), e.getMessage());
                failed.put(config, e.getMessage());
                continue;
            }
            int before = tally.kept();
            for (Pending p : rows) {
                if (p.skip() != null) {
                    tally.skip(p.where(), p.skip(), p.detail());
                } else {
                    tally.offer(p.where(), p.row());
                }
            }
            loaded.put(config, tally.kept() - before);
        }

        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("source", describe());
        provenance.put("seed", seed);
        provenance.put("configsAvailable", configs.size());
        provenance.put("configsSampled", sampled);
        provenance.put("configsLoaded", loaded);
        provenance.put("configsFailed", failed);
        provenance.put("validatorAllowList", validators.hotkeys().size());
        SampleLoad all = tally.finish(provenance);
        int available = all.samples().size();
        if (available < options.minRows()) {
            throw new DataSourceException("only " + available + " valid rows in " + sampled.size() + " sampled configs"
                    + " of " + describe() + " (seed " + seed + "), fewer than the " + options.minRows()
                    + " the validators require; " + all.summary() + (failed.isEmpty() ? "" : "; failed configs: "
                    + failed) + ". Try another --seed or --data_source wandb");
        }
        List<McSample> shuffled = new ArrayList<>(all.samples());
        Collections.shuffle(shuffled, rng);
        List<McSample> selected = shuffled.subList(0, Math.min(options.target(), shuffled.size()));
        provenance.put("available", available);
        provenance.put("target", options.target());
        provenance.put("selected", selected.size());
        return new SampleLoad(selected, all.rowsRead(), all.droppedByReason(), all.examples(), provenance);
    }

    /** Every row of one config, checked for truncation and the hotkey, not yet offered. */
    private List<Pending> readConfig(String config) throws IOException {
        List<Pending> out = new ArrayList<>();
        long offset = 0;
        long total = Long.MAX_VALUE;
        while (offset < total) {
            int length = (int) Math.min(options.pageSize(), total == Long.MAX_VALUE ? options.pageSize()
                    : total - offset);
            DatasetViewerClient.RowsPage page = viewer.rows(options.dataset(), config, config, offset, length);
            total = page.numRowsTotal();
            if (page.rows().isEmpty() && offset < total) {
                throw new DatasetViewerException("the dataset viewer returned no rows at offset " + offset + " of "
                        + total + " in config " + config, 200, null, null);
            }
            for (DatasetViewerClient.Row r : page.rows()) {
                String where = "config " + config + " row " + r.rowIdx();
                if (r.truncatedCells().contains("challenge") || r.truncatedCells().contains("reference")) {
                    out.add(new Pending(where, null, TRUNCATED, "cells " + r.truncatedCells() + " were cut short"));
                    continue;
                }
                JsonNode hotkey = r.row().get("hotkey");
                String hk = hotkey != null && hotkey.isTextual() ? hotkey.textValue() : null;
                if (!validators.acceptsHotkey(hk)) {
                    out.add(new Pending(where, null, ValidatorCheck.NOT_VALIDATOR, "hotkey " + hk
                            + " is not on the SN1 validator allow-list"));
                    continue;
                }
                out.add(new Pending(where, r.row(), null, null));
            }
            offset += page.rows().size();
        }
        return out;
    }

    /** {@code random.sample(all, n)} when there are more than n, else all of them; seeded. */
    static List<String> sample(List<String> all, int n, Random rng) {
        if (all.size() <= n) {
            return all;
        }
        List<String> pool = new ArrayList<>(all);
        for (int i = 0; i < n; i++) {
            Collections.swap(pool, i, i + rng.nextInt(pool.size() - i));
        }
        return new ArrayList<>(pool.subList(0, n));
    }
}
