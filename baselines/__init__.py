"""Reference learners (PPO, SAC, TD3+BC): one cleanrl-style file per algorithm; see baselines/README.md."""
