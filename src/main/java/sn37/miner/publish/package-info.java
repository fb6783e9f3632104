/**
 * Publishing a model dir to the Hub the way validators will read it back, and loading a committed model the way
 * validators download it. {@link sn37.miner.publish.UploadPlan} is the pre-flight (every check that needs no
 * network), {@link sn37.miner.publish.HubPublisher} the single commit and its verification,
 * {@link sn37.miner.publish.ModelDownload} the pinned, size-checked, hash-checked snapshot download, and
 * {@link sn37.miner.publish.ChainStartingModel} the same download for the model a miner committed on chain.
 *
 * <p>The file set is the one rule both directions share ({@link sn37.miner.publish.TransformersFiles}): what
 * {@code from_pretrained} downloads is what is uploaded and what is hashed, so the local directory hash equals the
 * one validators compute from their own download (reference-miner.md §2.2, §9.3).
 */
package sn37.miner.publish;
