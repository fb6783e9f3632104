/**
 * A Hugging Face Hub client for model repos, independent of the rest of the miner; {@link sn37.miner.hub.HubClient}
 * is the entry point.
 *
 * <p>At-most-once commits across crashes: every commit carries {@code parentCommit}, so two attempts on the same
 * parent cannot both land. A caller persists the {@code (parentCommit, entries)} of the
 * {@link sn37.miner.hub.PreparedCommit} before {@link sn37.miner.hub.HubClient#send} and the result after it. When it
 * finds the first without the second (after a crash or a {@link sn37.miner.hub.CommitOutcomeUnknownException}), it calls
 * {@link sn37.miner.hub.HubClient#reconcile} and uploads again only if that comes back empty. A
 * {@link sn37.miner.hub.PartJournal} passed to the commit makes an interrupted multipart LFS upload resume at the
 * first part the storage lacks.
 */
package sn37.miner.hub;
