"""Golden sha256 of every split of every registered env.

A changed hash means a published task set changed: that needs a new env version, not a new hash here.
A new env adds its row once, from ``rlenvs info ID``.
"""

GOLDEN_SPLITS = {
    "rlenvs/PointRobot-v0": {
        "train": "89b5b2e3e9fe20f0fc2ebc6bc89f7c9c0b0ef162494575a2eb93f0044067b0e6",
        "test": "9ce1af0ff75a49bfea6115cbbcc970a4b3f036dfa397928c799d5ece309f7f43",
        "pearl_train": "3547c7033e4f38ad7053578d3cb12d7c46873810eacc8b7ab3b73ea9cea5a338",
        "pearl_test": "158fec29ad3057c867514576322843dd4aa7283e6036ece44957e0f91a2cad42",
    },
    "rlenvs/PointRobotSparse-v0": {
        "train": "52b8c91f1fa0e11ebc77729c9433e677e6e9f49893b39143ecf1ef4f3da26a86",
        "test": "14b9b40a3f249892b122112a07117fbd790ec3f0ebee04c3de00a0c402ab71a8",
    },
    # Each family appends its rows below its own marker.
    # --- mujoco ---
    # --- robust ---
    # --- metaworld ---
    # --- house ---
    # --- smax ---
    # --- bo ---
    # --- gridworld ---
    # --- preference ---
}
