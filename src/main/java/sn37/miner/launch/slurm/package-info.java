/**
 * The Slurm launcher: the trainer as a batch job submitted through slurmrestd's REST API ({@link
 * sn37.miner.launch.slurm.SlurmRestClient}), one torchrun agent per Slurm task with c10d rendezvous on the first
 * node ({@link sn37.miner.launch.slurm.SlurmLauncher}).
 */
package sn37.miner.launch.slurm;
