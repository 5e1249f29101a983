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
    "rlenvs/CheetahVel-v0": {
        "train": "ce3fb0db7302c6ab256e8996ae7246a21698a2a7e7495d7b7424b8a205293213",
        "test": "f8c403e48ae88cf23cfd74636eb77d165aa9ac20b0a4e64c1044244d1166f4e2",
        "pearl_train": "2c4a4d447b32c9f93aa82eb7bff7ea2eb039e4e57723a5880b5ac387f66efa81",
        "pearl_test": "2fa48ff178990b50879371d05f0b2f27d5b6c2a57ba5ec6cc2a8f3b6a195242b",
        "promptdt_train": "e9590ec027765198378197444d2c05868689ca5ff4f9f3853703d268cd90a7c7",
        "promptdt_test": "48c46ba8ec2ecaf2ea5032ea5addf9269039bd51fcfb578412bebbd3b4b467f2",
    },
    "rlenvs/CheetahDir-v0": {
        "train": "eacfd69b5eb26651f4166c2cad5393c7bf80ce2594c7071d23f83093bb01c73f",
        "test": "eacfd69b5eb26651f4166c2cad5393c7bf80ce2594c7071d23f83093bb01c73f",
    },
    "rlenvs/AntDir-v0": {
        "train": "9c50708a0351be78af148365146a9a58ba0e033edbc89d515841063a89204c6a",
        "test": "77af8503a3ac96e4177403912d5e5f1d5c9eec2662b998c231c60901177b9039",
    },
    "rlenvs/AntFwdBack-v0": {
        "train": "5b64a2a9d873106284962e753bfcbc743372d27dbb1b75ed2a269ee5173abf39",
        "test": "5b64a2a9d873106284962e753bfcbc743372d27dbb1b75ed2a269ee5173abf39",
    },
    "rlenvs/AntGoal-v0": {
        "train": "f0f8ec5f4de140229be98474965765715a9f240add66605896b737c00f31b15d",
        "test": "3bebf6ab92a32c41522ab836b2d79435f480f09af4dc05397f5ddc4e59d9703a",
        "pearl_train": "7e6b27cad1ffcda333d8ce8b78444bd2b730a143e7ccab9d364066e19a018350",
        "pearl_test": "90245ca79a6b80e86c5d58fa609512d9c4462fe8f87dbd006e70d2c4ddba9355",
    },
    "rlenvs/HumanoidDir-v0": {
        "train": "b67abe73408c6542d2365c3fc83926dec18dc0a329aab05325f05f4f1ffc6dd0",
        "test": "21e3410abf6a032475887b2caba3b6b4a4dc43a1a3f831f9f3fd825b37eee558",
    },
    "rlenvs/HopperParam-v0": {
        "train": "e8d2d2809875b8ed25a8a1b64ab872b70321ea0c06ff1276ab6f5a8b9c1de45e",
        "test": "cebb87b032d41f97d033aeac28a874a5eb850bb788455cc6eb4e936af7168fda",
    },
    "rlenvs/WalkerParam-v0": {
        "train": "c79ef49259c9098550e415a9cad593cf6c3a468f0ccdad238ba1e61a133d98cb",
        "test": "65bd2fc19a3a044f52053594d437f16d6dae657fa6e9540fecba9df33d99c36e",
    },
    # --- robust ---
    "rlenvs/RobustHalfCheetah-1d-v0": {
        "train": "7a28d95c36d724375310707fe84b4e31e4be7dc17411944d83eaef03bd22a4b0",
        "test": "c3c2b54a6f6154a87193a05becb14cddfa7dddec9bfeb6a66753320dc4cce775",
        "m2td3_grid": "157273ff7cbc2783805d0ed1679925731a60a51cf7d7fa5fc3a53e0fe8ba95f9",
        "rrls_grid": "c0b7141cb20d67eb3916e5055dd5a5f8f63e98a2fd1f40f9d143ec62f7a79329",
    },
    "rlenvs/RobustHalfCheetah-2d-v0": {
        "train": "1cf94da85997196387e2d811eada25d6f75b548a63213d5c6179b293744e184c",
        "test": "fe3b77547cffa2c21305579c04f3adee58584c1c3ea17de8b19f7118c0039f46",
        "m2td3_grid": "a80514f1041f4d5386634a326022475d2a7b2ad50ff1adcfb27a02cab50e0a28",
        "rrls_grid": "d40fc14d64a0932819325b2356723b9c631e4d87392dc63c5f713791839064e9",
    },
    "rlenvs/RobustHalfCheetah-3d-v0": {
        "train": "f504d4628fab5eb83200f02b9c2bc51488a8893c0de0426ec9e5fe9a96c9ffaf",
        "test": "eebe28217c13e00d630dbe13b76c426cd3b7dcac36f83796b6b250de8849b442",
        "m2td3_grid": "6c2e093d285ad788c38d439ff2d0594fa2bcd1f3c39bc58412d041c701739fe4",
        "rrls_grid": "85773da3b7d77ba9ed750dea227d302bda1796298318464b085a8a428b153c6c",
    },
    "rlenvs/RobustHalfCheetah-Force-v0": {
        "train": "cb67bf51412d25ac71fd507a22b9177050d5b750c55a7965c6f3ff92a6ce051f",
        "test": "314c82cdfd388e939a06b53e6c0c9946f92cd7224466464cab5f1451a8804a4b",
    },
    "rlenvs/RobustHopper-1d-v0": {
        "train": "372d5adf2b7781ccbd1dbdb8bd1f4082942c8fccd72ee0d925720ddaf4be22ca",
        "test": "8a5d43530818a03fa13461b66501632e4e397d36a08365f5085d6dfcd633ce8a",
        "m2td3_grid": "33ddf2f37a30894531b8e560f464923836d6eeab30d213d425fb9765433ace26",
        "rrls_grid": "a677ea717572dc4a9b6aad6c18d18654d35b31a97ca394d8120bf578f98b17dc",
    },
    "rlenvs/RobustHopper-2d-v0": {
        "train": "3a277c6bf2bf97d1ad61cfca08951f726aaf5503dea6f107e082078f73eb0239",
        "test": "1eb3636ed459b7ecd427b19596815a8b173c32ea944f5547c8266f81c7d53705",
        "m2td3_grid": "0fb5f133148909298917fbce8be6f5787813705304f42b231d2fe99342145824",
        "rrls_grid": "367c353291421834a4fd0f4406baefcfe966e2f2fa0b71197f666a8245ba04bb",
    },
    "rlenvs/RobustHopper-3d-v0": {
        "train": "0afa82f4708cc97ca207f8d6a1a81771caddb8f2d0cb1e5c0bbfddf73516229e",
        "test": "5eb45f6a790962c1d3aa933ae62dcf6341ea4e109c8f926f37f3c129bd486293",
        "m2td3_grid": "8a5b620bd0431975a9ad087cc71a8e78d877259c037d20531baefc8ad99f31de",
        "rrls_grid": "a3f3a25bdeacf941bde912643f7c5f93eb75ec5f9b0c39b6aa0515d888c4726c",
    },
    "rlenvs/RobustHopper-Force-v0": {
        "train": "a423deaaded885e60e0d52b83ac7ece2e5c5aeab21d7ef8ba222d96a097900a4",
        "test": "86523d6423d45157e303998bca110092ea178c173b678d99ccaf932f362fd089",
    },
    "rlenvs/RobustWalker2d-1d-v0": {
        "train": "a3604ccdc0607e88838c973b244c405fca24a53a54ef797ab08f26378db937d3",
        "test": "97e9326279709e4bf726cb6067522609e52a00c48c3ea0b660a02f66eca1e3d1",
        "m2td3_grid": "157273ff7cbc2783805d0ed1679925731a60a51cf7d7fa5fc3a53e0fe8ba95f9",
        "rrls_grid": "c0b7141cb20d67eb3916e5055dd5a5f8f63e98a2fd1f40f9d143ec62f7a79329",
    },
    "rlenvs/RobustWalker2d-2d-v0": {
        "train": "18b41cb4acb674d333e8cc8f97b59dd5001bc09b963322fd745ca014aab7273c",
        "test": "841ccf9bb3057f835a2128d3c7b9d7cd8a2a31c1a2ac4241421029c8b212363e",
        "m2td3_grid": "6c064dd2630c3f37f7371a96716f8ccb1354b6bdbb2cb9be1e4d7437bc971e35",
        "rrls_grid": "5c62e1af9f686136947c31fa93a2ca91f6548f25be5cc23ceacc7dde421d487a",
    },
    "rlenvs/RobustWalker2d-3d-v0": {
        "train": "9f6ce4883f8b97503ccb27a6d6cc32705bcde4ba5e40cbfe1f8762e27b07ffec",
        "test": "9cba852816bb888a5c5b63b74bd70049459f0fab7a9a47b35eadcad87a2b6e32",
        "m2td3_grid": "e9601bc63f2dcc8b784b1024743160133e4d0e1c7a3069a0876a2f79e04fef3a",
        "rrls_grid": "a237ca6262f74962d6ff244377f1455cf6fc8bfce9f47cfee3ae28a774c45a68",
    },
    "rlenvs/RobustWalker2d-Force-v0": {
        "train": "3609d5d3228187547b00fdfe9ff3003b90ec458fedbb0e504a0db05fbe5adb7d",
        "test": "70d769b26f688b63ce04f916516f91f1233df8e4de687b0e3c8454a8d24384b3",
    },
    "rlenvs/RobustAnt-1d-v0": {
        "train": "342b7cc03e454dbd6b3ea09786146e7be3bf6c84df4a2dc0e65a7c07b8174ac6",
        "test": "89b94ab8999594fbd6e26c32ce609500c60a6e9d81628ba687a0faf24f7b778d",
        "m2td3_grid": "0a1292c93ba3f75102ba35e363f633b17c6964dd381258d98524e3b3ad3b8f32",
        "rrls_grid": "4d952b63862cdda0526fdcaf35d01c88b71553688608d4ec2289ff23e9ab576a",
    },
    "rlenvs/RobustAnt-2d-v0": {
        "train": "4dc5fef780cc9d1f9b89ee69c0b89c374f817fc7ff07846757dc82ea05162044",
        "test": "bb7e39b8b255a638239b453440dcf2aab0304f905639d6157f4b91feffee040b",
        "m2td3_grid": "4f8c932c68986493261b9354768c32156ad1ced31dbf19e4af992263ccc404fb",
        "rrls_grid": "e7bb437b31147056f7a3b9589dd742c4d22e6e357cae40a1f9382e40d5af52b1",
    },
    "rlenvs/RobustAnt-3d-v0": {
        "train": "94948fa61eabb15e0b06c8733a64fb0e6332dfa0116c9124980f13cefff9db31",
        "test": "c133a239c2231884d0400bb7ac0be126dcf38d430f52a4ed885c6a5f09d182c0",
        "m2td3_grid": "9a8f8ba07312ab87a9a9e9d0dc9dd48e4de01bda0c5431f4a95b31efb3c424d0",
        "rrls_grid": "dcba39f41408fcb675a03f3f455ac8326046418864517db1dfd05257c366d7c1",
    },
    "rlenvs/RobustAnt-Force-v0": {
        "train": "3fc24e845385922f6b3b4f2f9a3e9588364085c765b84dbf5c18c0d4a1704fb4",
        "test": "2ba8ae11a4a7916110d85ef980db63334d5d1e49bde1d66b74b38fa64e0ef01f",
    },
    "rlenvs/RobustHumanoidStandup-1d-v0": {
        "train": "066706f309c58fc98e2170db5f134cd507c0b9daceb19f39411f96ac6e5844ec",
        "test": "d13a6113082a61e2c90dadd7c6848fae7e11a3bfb9db9768768b31b6fe5c99b4",
        "m2td3_grid": "bc8a077f19e23a9221f03cce02053da61ff7568cee41683c544d1eeb46836db7",
        "rrls_grid": "ff0522352ed92a59d845046cec513ba29df70d60449301ff0c31ce756f84bc6e",
    },
    "rlenvs/RobustHumanoidStandup-2d-v0": {
        "train": "0a2362f5526b851854972e325b2d4c3de3d316cb0838a007293fb69de06083bc",
        "test": "4cb635adcba35be5190792876b1b4c101595e1336a05e5cfca498bc173dc486f",
        "m2td3_grid": "7edbb86be58974a7fd95f129e726cda90bee45d14a5980906034adc49d69ac6d",
        "rrls_grid": "b88bcfea55227df788e856816908b3e9bbf97b754fd1d4a35f375009a87efcb4",
    },
    "rlenvs/RobustHumanoidStandup-3d-v0": {
        "train": "4afcc7f52fb503c078bdc78331758487db6f11a7060eaa8d88bba122dfbdc8bb",
        "test": "b6b53b43b57c5b91cca0b89bb0ca7d1f20bb691ec1117769f5a080327dd2866a",
        "m2td3_grid": "afd5e1970712d76d0cd48c697edc8293f928b53dcfb759f24fee524e1e175a96",
        "rrls_grid": "81b2f018ca13e7518b61a64ffc6f4ef17023c79130ac2741b184d060ddaf8058",
    },
    "rlenvs/RobustHumanoidStandup-Force-v0": {
        "train": "09c42588386441b59f577f567e4dd6406d579a06c2f04a4b330ac716fe8262c9",
        "test": "c8f3fc628764e69a59240bc1daa193293fb04fc5ea916a6082099333d52fe655",
    },
    "rlenvs/RobustInvertedPendulum-1d-v0": {
        "train": "77866e2f51d61db5150fa634183d3975a26ac86aded8bca096efe4c481c31a76",
        "test": "5d1d09193b1796e589df1032092f8397153bfeef728df34c4f243fd0f3dde918",
        "m2td3_grid": "9af466425935f45c062a83a7e209cec03b020e111310abf910506d4b5f70e336",
        "rrls_grid": "6c9bec918139dacc8997d2bb3b721a4943f0e7c298fce357ba23d4ad0e7fc9d5",
    },
    "rlenvs/RobustInvertedPendulum-2d-v0": {
        "train": "9f93fc1af5f573c5b0c785997ecb4f114605c249e66fd05e3db2ed207c6245f4",
        "test": "852966dd617dfdacbca6af83c2712c3fe28008f586ce3e58c39cb897afcbc892",
        "m2td3_grid": "1bb2709a244d2c3eac025c1535985c8b23e75f4eaa34bfdf44930f393e895b68",
        "rrls_grid": "ad9442a8a13b812d6036b530aeb0665e519a5ffaf4dbf766da2b720d632fe72b",
    },
    "rlenvs/RobustInvertedPendulum-Force-v0": {
        "train": "6994f4f9e659344cc59505c6ac14257fc2ea4ac70b8ef99178b9512e3f5014db",
        "test": "44e3989045f72a85e18f5ed44820858b54c9de3a050726e9943611a8b6d2aedf",
    },
    # --- metaworld ---
    "rlenvs/MetaWorld-ML1-assembly-v3": {
        "train": "e4f386c7b68e8288f6ad02169d5c252b1200523c56de1b0188e474fd90e6a641",
        "test": "0f073d4ddaf30476c5652a05b77f844128577bc65ac50f9d707f685f6ee9b1ff",
    },
    "rlenvs/MetaWorld-ML1-basketball-v3": {
        "train": "0d006f0d76b1f0a02a720ecb30e18942ce9c5808a879194c64a06d1ebeaf11c6",
        "test": "7737be4ef273b059fb36ffb026e63c3972a5d9d409bd8c224447823004a14e37",
    },
    "rlenvs/MetaWorld-ML1-bin-picking-v3": {
        "train": "68a8d78faebffee0a628e33d55c78b57e88e19345e4f2462a69fb1968855a9d1",
        "test": "62632e83eca98de48af1ce6dbe593e06bdafe0c10653f06d860ede946ac96873",
    },
    "rlenvs/MetaWorld-ML1-box-close-v3": {
        "train": "2d05bfe50fbf1b782bf5933ca17a5f655d34573303d7941e0d91bd5250019aaf",
        "test": "45fac8dd84b836209942d87c24b083a896ce21e0c46bb0b49142816a98ed76f6",
    },
    "rlenvs/MetaWorld-ML1-button-press-topdown-v3": {
        "train": "48171e92cc296b4d78e6cb6a5478a33a67684e65ca760d2a1939daf2049efbdc",
        "test": "d0622a6be0b8773d26ac55503fc8b0805b407acfd7427a39b1556da0a1f3ec34",
    },
    "rlenvs/MetaWorld-ML1-button-press-topdown-wall-v3": {
        "train": "ed9c5bca4d31d99422d714ee93b080901a88dee2991c2a5d948bcacf1a85e581",
        "test": "0784acb33ec47a1751e579c9df552d2e8450df27689d017bce276369f2228ddf",
    },
    "rlenvs/MetaWorld-ML1-button-press-v3": {
        "train": "7d5c8c4dd535ef4ac95a80ec60e570b2d1cdc66e4ff69f553c3b1821e14bb320",
        "test": "067be83b4efb656cc22e886458e3579bde9d896fd1bb200c6e5dfe4f1757dfe6",
    },
    "rlenvs/MetaWorld-ML1-button-press-wall-v3": {
        "train": "cde1974429234b49657afd8eb2a8bb5bcf44a48689dea6e4c21d1f158f007330",
        "test": "503707d087b8cc1646e473a8cdb137922213b2b661fd16747d4409b9e3984ff9",
    },
    "rlenvs/MetaWorld-ML1-coffee-button-v3": {
        "train": "e21befdfda4b25f1d2c1c6c0916685ce777b6f85533bf11a963e4de45b6309b8",
        "test": "b7ad51b3c863e2c404a1225a5d5965603cc2981c20386ffeea72e52686260b07",
    },
    "rlenvs/MetaWorld-ML1-coffee-pull-v3": {
        "train": "e3d8688da459859556acd917d603d1692e1553721a3578f6511bcadf239b0e7d",
        "test": "a163a14aa04bcc572ad98a7d2dc7a6a69b1205996c650cfe50ea5e151cc2ad54",
    },
    "rlenvs/MetaWorld-ML1-coffee-push-v3": {
        "train": "3bab442d50c02bbb210f690be39b42fa0fc31d9ff186db3963dcc02c93ebc904",
        "test": "66b0697cce33dc8e25be4a7f0963b69af9f84d05104fa490eaf12d482017c777",
    },
    "rlenvs/MetaWorld-ML1-dial-turn-v3": {
        "train": "bd111e3995f351fd169eb89540d615cf90eb7377e7874e31c572f04945224724",
        "test": "fd34e33ac8afa2f546322e7c98e8387d2a4c53fccd7fd5086d7c0f1d0977e37e",
    },
    "rlenvs/MetaWorld-ML1-disassemble-v3": {
        "train": "4c3ec162cffe5eb5b54a35ab4385501d178224f8b43ec0b15804843f03ffa7f4",
        "test": "6c617c212fd2982275338bd871ff893f377b87493b1da11e299c8cfbb14594e3",
    },
    "rlenvs/MetaWorld-ML1-door-close-v3": {
        "train": "3676d31d45219103c7bb0790dda4c55464617351d46ad9fdb72e53f7820cb76f",
        "test": "3cbaa9c7f97ca045987c0047f06e1002c3b913ac0e70765fe313f81a1c277412",
    },
    "rlenvs/MetaWorld-ML1-door-lock-v3": {
        "train": "a78defe44842bcf9bdf6ed01fcc405778a2829b0d0066aa3d62b825787214e1c",
        "test": "f42e21889810c192bc8ba3a80166dc25de6e851855898ed9c6b3799c7bc7cafa",
    },
    "rlenvs/MetaWorld-ML1-door-open-v3": {
        "train": "c72c4dc6e8bcd28c1de0680861391b06780a9ce5c98b8859266464652e5bdac0",
        "test": "b5dfaabb32676f2719d92ed44630bcb2e64d2411cde9d844bbee36e6399e02af",
    },
    "rlenvs/MetaWorld-ML1-door-unlock-v3": {
        "train": "a8b83cfd910b4b7637ce5e71339d0c6907f409541c6404562e8f4bc52a9ab655",
        "test": "8f1b588a4e89f1be160488e427eb01c48e4753a00a5ede411de14cb39e696988",
    },
    "rlenvs/MetaWorld-ML1-hand-insert-v3": {
        "train": "3efacb2bf4e9f8078a186bbf9d9893c0df8d9b35799d1969ddc640ff93c0f926",
        "test": "948502fc4058accb5498f04b9f12b066b9cdde7249ce52b8d506b7c5cb25c2c9",
    },
    "rlenvs/MetaWorld-ML1-drawer-close-v3": {
        "train": "7229b963fe8642f725eccf33fb1f0352917b5559f0a91320ab72a05056af2050",
        "test": "31ea21066d9e1cfdde13bd29eeb5cc65fe7f1fc086126be1ed477bb93ed5e011",
    },
    "rlenvs/MetaWorld-ML1-drawer-open-v3": {
        "train": "0e90585b46d26cf12fd96d7cad7d0dda1bfc2697ea29f95af468aa0a17cfecb9",
        "test": "1dca3f92e65f3989bf4bf114a5be4bc108b1c1565717c988ed8d1ab716d18106",
    },
    "rlenvs/MetaWorld-ML1-faucet-open-v3": {
        "train": "9ae280636d50a44d6675a998b23bbf72b4da1120c149c880b6f72b9c0df93128",
        "test": "7671db42d8a7d92e6a5e3b3600b209901af545badb64b0b45a19c58c96efb7ca",
    },
    "rlenvs/MetaWorld-ML1-faucet-close-v3": {
        "train": "fcfe124cbf0f3b2a390dad63b322668b86fb9a7a8cbffe6384396f06d441f7ae",
        "test": "da3c0208cfd2caf86a3744e5087e37511b1e79d94e1524568b7c78100585a830",
    },
    "rlenvs/MetaWorld-ML1-hammer-v3": {
        "train": "c59f674c197db34cb2bef8179434a9dad6d59f3d3a74fa28956d7a10536b95b5",
        "test": "8505b363330aa549db1f57632f7c8a850e93beaafe4bacf6f94f2d36e73aaebb",
    },
    "rlenvs/MetaWorld-ML1-handle-press-side-v3": {
        "train": "65d71daf47db098f5b9f8af5969842458e1e360ca83d5ab76911f95cb695e433",
        "test": "9c3c86b85abcdad577b6820ed5e16a1ee2f656a80d2188ef5163733025f1e95d",
    },
    "rlenvs/MetaWorld-ML1-handle-press-v3": {
        "train": "c9070877431a38e243ddc5a8e8a7b773c8660fcc71146588b99bf41d306306a3",
        "test": "25d900ebef51d8ea61faf3fd033b799420a7d1e9d621a3fd55196efc0f1d9b57",
    },
    "rlenvs/MetaWorld-ML1-handle-pull-side-v3": {
        "train": "7cd5bf3de4e9eb25d63670fb4e16f017d5f1f0b12c78cb0d0cc4ef4305764878",
        "test": "2feac290b40c1e44d20f5a1bfca9f3ce533fdeaafc5a0c1675988409caec6173",
    },
    "rlenvs/MetaWorld-ML1-handle-pull-v3": {
        "train": "918fcbf7daa30fa13671c89a67973d83830b99c2e6d6c73f676a1e307e706397",
        "test": "278251b4b6a56815d1a137c8dd5dc81329660937ae99929fa5e1c27a1720eaba",
    },
    "rlenvs/MetaWorld-ML1-lever-pull-v3": {
        "train": "53f6c556ef04d8511fc62c100661e72d00e3fdfb2640d897c29fd8b5a9bb113c",
        "test": "ceb5c8fd3c2f01ed445dac59e90e9a96851609528e741aaa21b46422bb95e3af",
    },
    "rlenvs/MetaWorld-ML1-pick-place-wall-v3": {
        "train": "033d950c6d3dc6f1517c2b85d05c9641099f9288040d8500414c982a63f942b2",
        "test": "8d72415859042c83babadf951a687d4b68c908056a6204b9e39136f86ed27cd1",
    },
    "rlenvs/MetaWorld-ML1-pick-out-of-hole-v3": {
        "train": "8a8ae72741d661e9b5eaf1824f70ea4eafc4303d63645ec3a91c6d13b60cbfef",
        "test": "9e45700c5320b969d3015cad3d62c4c37bf2d020805d242d0336a58764da6eae",
    },
    "rlenvs/MetaWorld-ML1-pick-place-v3": {
        "train": "0f7cb4e6c820c508f640fde2e49fcd2cdd6c3e14453896322573367abc0f2a75",
        "test": "81ebbaea13a248c251ab9647c0d9331532b340bf132b79ba409563e53dac6a88",
    },
    "rlenvs/MetaWorld-ML1-plate-slide-v3": {
        "train": "2824fb5af2be8ee8b1009a7c7be1c5e95b7e749feeac646e9b8a0a1d48a10dec",
        "test": "d03bd18235667c1133aa786b7f3a665494afcb8dac9a3fe082a3095ee50953bf",
    },
    "rlenvs/MetaWorld-ML1-plate-slide-side-v3": {
        "train": "35619e4b677c1e8e5efab59614aca085ad846bceb1d0ea247ea849132391fffd",
        "test": "469bfbc5e540ac4773cec69263f9c72f9adbc4c7b0371aae47a646d36e8bf1f6",
    },
    "rlenvs/MetaWorld-ML1-plate-slide-back-v3": {
        "train": "95a124c65b52b6eb3120b8dc5136c4249c4e5d7a1a5914196b08f83172dc24ea",
        "test": "586cd88e5cb68d8f4b24177156050aa61b64d5f647c2e6ba6b753116d78257e8",
    },
    "rlenvs/MetaWorld-ML1-plate-slide-back-side-v3": {
        "train": "fba7fc5f74c56371a6329bf85de2276ff69bd6908007f6c87670c6e63fd8081f",
        "test": "704d0ac612de98e03950f5e07cd43ef47039e7015343587a82cc9871c538eb87",
    },
    "rlenvs/MetaWorld-ML1-peg-insert-side-v3": {
        "train": "902c9620873cba055aac0d1182200c4b38adf77dee2e569426a4e7d6c69f1589",
        "test": "2cba5fbdd4a0052365237306ca43165b61e340389535a0d1eeb7da1438dbc436",
    },
    "rlenvs/MetaWorld-ML1-peg-unplug-side-v3": {
        "train": "637c71a49ae62f2baa28f629a69a2043e7d5f5bdada8750c4fceeafa2f5cdf14",
        "test": "ac165997157fb401b1e9cac5c411e36880487ea8af2a929406a0d2b30ebbbdb4",
    },
    "rlenvs/MetaWorld-ML1-soccer-v3": {
        "train": "027cce1f65d2bb7309732c9c80e8e569bd00a027d964371fab047a80fe61c55f",
        "test": "17390e24976f9b0fcbaa9bcba39471cd65b8692e06b347996b59a4e8f1ade8c0",
    },
    "rlenvs/MetaWorld-ML1-stick-push-v3": {
        "train": "8e1e4f4c6710f581bc9913f5284894b01b395aa69b59d045fd5a749f01c70cdf",
        "test": "a1eeef7d5888af257695626cb58b0bb1e6ba363e4eae69581404709338eb9e45",
    },
    "rlenvs/MetaWorld-ML1-stick-pull-v3": {
        "train": "96143e84c8c4e5f566128208952bb5ab7f601b40c9c36a054c1d035a7c0d1eb7",
        "test": "e58780e02a684f7f2bd8b1aab45657fd1f4c7f0c627539454534c856779858f9",
    },
    "rlenvs/MetaWorld-ML1-push-v3": {
        "train": "a27b10754686f99ae6444f9c62c7530c77c2995ae283676769881c428091c436",
        "test": "82a7b918c6b63857b37e58f912ec14ace3e18c441953c0bdd1822961d6d1e17e",
    },
    "rlenvs/MetaWorld-ML1-push-wall-v3": {
        "train": "360d4ba0e82a056d0e986aab5df870db1126731fb39474b3eafc79b44c295af2",
        "test": "276aa061738e12ed54e4a980a3139dd284564925d2f4c3e9d702cd0231079839",
    },
    "rlenvs/MetaWorld-ML1-push-back-v3": {
        "train": "97552d17a1b7e5ca6e7831296ac72c3b463eeffebdcda33cab3cede4e051c44a",
        "test": "e981591fbb6d6249b430d9a40a975e87e91ba6046aa4bbd375501d835a96de33",
    },
    "rlenvs/MetaWorld-ML1-reach-v3": {
        "train": "59bdf4d6ab7b7aa6d5a413a49b322fd0422c425eaddaab8107b4626f0264691a",
        "test": "914d7f04d60a2710fed47da52162e89bde934102d74c5092f62622cf20764fb3",
    },
    "rlenvs/MetaWorld-ML1-reach-wall-v3": {
        "train": "be3f8cc2f4e2b19bbf117def9a89e72736c49dba404fb5a819c0263628258368",
        "test": "be145e0199d18c6016077d3101761ecd71e91bea650be26c1d9db053f11c40ca",
    },
    "rlenvs/MetaWorld-ML1-shelf-place-v3": {
        "train": "5bf1978ff32dd7b777bcc0df9e89b25970bc0b1c6b861ddc6eac6c36c29569ed",
        "test": "600a2bde453bf0543e3f947e6be4db1356eb4e09b118f5e5dc5bedaa4d233047",
    },
    "rlenvs/MetaWorld-ML1-sweep-into-v3": {
        "train": "649a560b7d6cfd19f60f60244f0eabb4d31bcf352d6794237fdf1239f0a3e173",
        "test": "6f82fa38146dc803d7165eca9e1735a4c0af6a839253ca09e8886db7a7433b1c",
    },
    "rlenvs/MetaWorld-ML1-sweep-v3": {
        "train": "7e5d5a97299308f3760fea3c81485820aa5097c74720fc66f5953a9324391002",
        "test": "985ee5fe7fc9c780f609985fe1a99c7e4ca821c3bfb9ff27e7e8e043121f905e",
    },
    "rlenvs/MetaWorld-ML1-window-open-v3": {
        "train": "f47696ed88bcdb175aceda92bf9c2d611cecc1f62e997864118e3076db1f18f9",
        "test": "faa591b0067db6c1cd64a14a45daaadb73bdcfe67e502d2b745315fc44ea1706",
    },
    "rlenvs/MetaWorld-ML1-window-close-v3": {
        "train": "2397755c93e42ffa62a0159e9c5fe79962adedd6c09eafe1bd27509391917b78",
        "test": "59eb272203bf48d9de5bf6a0459faba3dc0e02f941db91eb41d4ecd58e5ff952",
    },
    "rlenvs/MetaWorld-ML10-v3": {
        "train": "8bf29dd7d105b4b315f49abfd293a7205453c226a5c8b0edb1ae8e8f2b7b3821",
        "test": "020a00fc7324e8e865b94f9880dde60419f90899b2c7a244f7caf2884d54b983",
    },
    "rlenvs/MetaWorld-ML45-v3": {
        "train": "b28672220e8d385daa6bc2fe600fe52cf34ae0ac22c4540b025a44c76098a632",
        "test": "566a87066c10e3822d68ee8cb0f5cbdf65ebc832ecb0adec415cc55300f2c743",
    },
    "rlenvs/MetaWorld-MT10-v3": {
        "train": "90d35bb66c857f3977d82377cef6c1acb6a90a4c8a283df270e28f2d29506d14",
        "test": "6e156571e448315f055e99b7376ace1273b9be0b42b516db70954674bfe86089",
    },
    "rlenvs/MetaWorld-MT50-v3": {
        "train": "aec369103c85e3b53903c4e6d3dd747d53935a2d8bacf65bea0cd2c90c229ada",
        "test": "0d5d04ad175a78eb4ce2da570944df1e1f4be5386a1867d04e2b110ceeda085b",
    },
    "rlenvs/MetaWorld-Reach-MetaDT-v3": {
        "train": "0e01264022b56b6ff65acd78970089f24c5f4aa4ae97fcca3fd2f580019f01a7",
        "test": "68b38048edf056cbf8813aa1462a9364d24572410bda8eb25a2fbda1b10079f7",
    },
    # --- house ---
    "rlenvs/HouseNav-v0": {
        "train": "557eeea5d9a4aeee3a73ddd26c7405bb5953799260cb79248e8dc63d79dad199",
        "test": "3c7bcd126430a6f21272f1249d24c953d21fe8e0b1edf240c559d9bde1027a42",
        "test_large": "4158a105837f90b11eca0fee29d1c46ccbc7a3e6018ae7fe803bd41d6e937eb8",
    },
    "rlenvs/HouseNav-Small-v0": {
        "train": "b8c4361423120110b9ead6a38bcb19f8aae8e0ccdbfccf6e15aba52eed62493d",
        "test": "a9b4d9ec46283fa7998d88303560a906b4f7f46f443aad22f406b9b6f70a0227",
        "test_large": "6f5ff3f2d7a7828c3d774e6c6d38926206b343ecfdaa3585cedcb62b5555f2d1",
    },
    "rlenvs/HouseNav-Large-v0": {
        "train": "cb9893c9d82ed42ed703e276253230b88d54a2cd7e941e89a37be0d3e87c3d95",
        "test": "0a16bc10edb778f950d3e5c5c767696a792966297f73bd4e4149994b045f2143",
        "test_large": "62836c2c62cf037b2b317bab3e2f52b22fae5b8404a717145ef7cacaf2c56a2c",
    },
    "rlenvs/HouseNav64k-v0": {
        "train": "cb9893c9d82ed42ed703e276253230b88d54a2cd7e941e89a37be0d3e87c3d95",
        "test": "0a16bc10edb778f950d3e5c5c767696a792966297f73bd4e4149994b045f2143",
        "test_large": "62836c2c62cf037b2b317bab3e2f52b22fae5b8404a717145ef7cacaf2c56a2c",
    },
    "rlenvs/DarkRoom-v0": {
        "train": "0131dce5a8720d0b1ba862127c0e32b4549e221fb3d2537223bce1b1597e2a0e",
        "test": "9c22cc4c0e2188388425ccea154a7a1e461a1279442c401c4edcbf15e90945e5",
    },
    # --- smax ---
    "rlenvs/SMAX-3m-v0": {
        "train": "2322bb1b104f79632842bf670e54dae2758f5fd87b1ccb6c909161336d75fda4",
        "test": "2322bb1b104f79632842bf670e54dae2758f5fd87b1ccb6c909161336d75fda4",
    },
    "rlenvs/SMAX-8m-v0": {
        "train": "5b4b0d56459cf1f9145acce32a98da6aa173fd25d1c5b17d5e12195b0fe6415c",
        "test": "5b4b0d56459cf1f9145acce32a98da6aa173fd25d1c5b17d5e12195b0fe6415c",
    },
    "rlenvs/SMAX-25m-v0": {
        "train": "e4fb80dadb658cd3bbc4ee7b971b65c11cd70b68db78244070a1bdfef68bba7b",
        "test": "e4fb80dadb658cd3bbc4ee7b971b65c11cd70b68db78244070a1bdfef68bba7b",
    },
    "rlenvs/SMAX-5m_vs_6m-v0": {
        "train": "a61f014790ebaecf80caa6590cadd48d81db61d65d80b402354de4b80308da9e",
        "test": "a61f014790ebaecf80caa6590cadd48d81db61d65d80b402354de4b80308da9e",
    },
    "rlenvs/SMAX-10m_vs_11m-v0": {
        "train": "0e2b6750ba1fe11f7b65247cf4041d5fe69f955ed3acbdc8f2354bf0d676f78e",
        "test": "0e2b6750ba1fe11f7b65247cf4041d5fe69f955ed3acbdc8f2354bf0d676f78e",
    },
    "rlenvs/SMAX-27m_vs_30m-v0": {
        "train": "d78edf5a877a6b0997524a2603463e95ff9232291836c0e4f241f350835451b9",
        "test": "d78edf5a877a6b0997524a2603463e95ff9232291836c0e4f241f350835451b9",
    },
    "rlenvs/SMAX-2s3z-v0": {
        "train": "7949843ddf0b8c9cb8d7f530c5706bc5f9596d72ed5d63065d49e9336a7fbd12",
        "test": "7949843ddf0b8c9cb8d7f530c5706bc5f9596d72ed5d63065d49e9336a7fbd12",
    },
    "rlenvs/SMAX-3s5z-v0": {
        "train": "0943601dba7b848431bf339246a96d2406c14832ec8e85d44474a619d690e0b8",
        "test": "0943601dba7b848431bf339246a96d2406c14832ec8e85d44474a619d690e0b8",
    },
    "rlenvs/SMAX-3s5z_vs_3s6z-v0": {
        "train": "ae3d92284fd6b2c49ec335394ef3771370acf7ef0b9ea915939df71600c5eb1a",
        "test": "ae3d92284fd6b2c49ec335394ef3771370acf7ef0b9ea915939df71600c5eb1a",
    },
    "rlenvs/SMAX-3s_vs_5z-v0": {
        "train": "f6f2d6ec386521a4badf9f8883136e9fe6bdbc625f615523307f43f3776a3f4a",
        "test": "f6f2d6ec386521a4badf9f8883136e9fe6bdbc625f615523307f43f3776a3f4a",
    },
    "rlenvs/SMAX-6h_vs_8z-v0": {
        "train": "392f75751fad71cb89718b4351d3f8c0131a841e148156212eaf474d60fb03a8",
        "test": "392f75751fad71cb89718b4351d3f8c0131a841e148156212eaf474d60fb03a8",
    },
    "rlenvs/SMAX-smacv2_5_units-v0": {
        "train": "ec50c3ecbf7703f8a0e0f4af046330ffeb181d3458696ce1c22a3e84ac7cbd07",
        "test": "c240ac6a553fefb6790f1686dcf7c93b32c2d000c95d3671505e929fa8fb208d",
    },
    "rlenvs/SMAX-smacv2_10_units-v0": {
        "train": "629b10d606b914b7b66ceccb86a6628a445be065a43117f99fe05f2ffaeac2a9",
        "test": "17b0e90676069c22391cff2921e489ab1571c2891fed16041d2b03d70db3355c",
    },
    "rlenvs/SMAX-smacv2_20_units-v0": {
        "train": "f9598a739e238d6cbb69d970fab0f36755e88c0c0f1391d9aeef76bfbd9923a5",
        "test": "a9a223cdc0e34224dc4af7e2c88897ad51353ac71d7da7bc1dd64c590f56c890",
    },
    # --- bo ---
    "rlenvs/BO-GPPrior-v0": {
        "train": "9190567fb341585dae0fdb478e92525087078415a11ca03740c0808f751f76e0",
        "val": "9efc7789f13aaf80e0fb0c435ecde317d4d269755d1225cf969e64600ed2fa5c",
        "test": "7ddecc69c735d45f987b2c586e1df8a27c582297ea81ed3e599a4645b5766048",
    },
    "rlenvs/BO-Branin-v0": {
        "train": "d1742e0b8e578d679866889aa068abc3691afe2d8280c8251eef23e855c3bc55",
        "val": "d6f83ff9b9cd8f4e75e1a8948caf330932384057d5da27237d142b6bb5597860",
        "test": "11e649c0bc2454be7f815e962b965cca1f357071a2b843b34c21baede300069f",
    },
    "rlenvs/BO-GoldsteinPrice-v0": {
        "train": "f1280872f2ea233d831c818d99f0eb877eec930ef56d3255f451203ddaeba58d",
        "val": "ed4ffd240b07d5dc4f51a0963ddf0dee6f8fe50d8575dcc39425d681c7ba8922",
        "test": "8cc4e820cc7d909cba181ff0feee1825f5135de4c3d965ebd01f2a9d7046db3f",
    },
    "rlenvs/BO-Hartmann3-v0": {
        "train": "d4c98c2ed1d991e34c2edb58c5aa29e66b6098d016c03fafb501c40c0d441a52",
        "val": "286d61fbea9ab011e9e438dd692bfe65df9a3f4125359449dbcf4ea830d6874f",
        "test": "3fd2cb878abe301c3042c6de9886b3c9a440b77a37e88bc5db9b167b2f884a52",
    },
    "rlenvs/BO-Hartmann6-v0": {
        "train": "ee70fbb88376518a3804d0ceeed01d3b7700c7fbb594060d83a7ecbf847a5089",
        "val": "513ee2ca6e92d638c46d928dd2e51f2d6cafb86ed703fbeedf87565759e1b477",
        "test": "e5952f7560476793890b13486db1c52d5e0d537413c80d8b50fa8f5a3641862c",
    },
    "rlenvs/BO-Ackley-v0": {
        "train": "1bf3ab997d0d051c4e037ad4dad6fd2507e115c767bf6e88968c621d94a2b7b1",
        "val": "20563185b4be2cb2c3602dad21bd2ed64fbdab34faf1eb528af10c66361e7981",
        "test": "625e26ec8e758ca2242df6c83d0aa32ff54696311df397f7269729478a814f3a",
    },
    "rlenvs/BO-Levy-v0": {
        "train": "de3324aefe008052ca086f227186ba83b3da51bff9b1861973ba842cf5f01d04",
        "val": "7a538572e19435579acd2462b1780534315d0101c9a2100003f1a88f407223a4",
        "test": "d9be898d5fdad633e125d851efc7d656dc8cce246e977143558e1e809c2ee814",
    },
    "rlenvs/BO-Rosenbrock-v0": {
        "train": "0f970fd11eb334ea9bf91a90435a665b571d94999d5d5f00b64fef76c160a3cd",
        "val": "689b49b1eb1a8d73facfe9619239889fb460e3757376b9dee7dbe5e406847de0",
        "test": "c8cdcc6c39a918713214d69623c37a4335a32301189d950ad963cc0033215d2f",
    },
    "rlenvs/BO-StyblinskiTang-v0": {
        "train": "18a5d6daad89e5ac0ca4af795d2c3586faeb04591e0d3a269c762fc6f7c6a4c9",
        "val": "4e917fb826dc61d9de6a603344ea0ecc23cdaf894d2a559de927599ff359f54b",
        "test": "6907eccaf5e14186a7e73e3a237ff0d49a342a0f563d9b9dba9084fb9ec5d185",
    },
    "rlenvs/BO-Tabular-v0": {
        "train": "1fa206e8854d697d8b2818d6ee0cdc20b18c013bc7080f266fc8ddb7656a558b",
        "test": "b2b0e8d2e4b50e250efa2aa6dfff5005cd36fc4b57fc4aa52613ac912fe01341",
    },
    "rlenvs/BO-HPOB-v0": {
        "train": "bbfea618fb468e4e1607afbe502cd84840ffa85fb11aaa4f8ee783858ac0eab9",
        "val": "c3615d04aae349b26c331bec9df9e95062115ab6e6d5bf1da7780474a73238de",
        "test": "6e3cef6bff5423e914e438fe332758ea5850dd6ed79f0807c9016ffa4cf1420b",
    },
    # --- gridworld ---
    "rlenvs/LPGGrid-v0": {
        "train": "b4dab44344bd51e5116c27c16aab561ab784d86cfa9b9bd0ed3753f794d0577d",
        "test": "a0ba3bb09233eeafdeb98687ca1738f2c8bc8f032131d6f24efe3e00e10eb808",
    },
    "rlenvs/LPGGrid-Small-v0": {
        "train": "bce18922bf84165e94593675a55d335ed70e57a457d5d656fe624f08e5385b7b",
        "test": "3292b5ec527ab2350b8a2cf85398c456a3acbfa921f993cb2b36fb85a9af238a",
    },
    "rlenvs/LPGGrid-Medium-v0": {
        "train": "8437bb55a09f86e8027ad378cb9d71ca1e878634bd9d13523a43340405d8a4ce",
        "test": "7241b2b81978f744864a88b728fdb4e1adf50690234a94574fba6e8e8973a906",
    },
    "rlenvs/LPGGrid-Large-v0": {
        "train": "64d102dd0d0ad46f31e17fcf16cf4cd589ad400e2794bc5c56943911c7a0cf4e",
        "test": "3fc5b8e1891d3bef1d6dba6e3365681b7de0112e1260ce75d423c7c7f45a0732",
    },
    "rlenvs/LPGGrid-All-v0": {
        "train": "bf852a3b6dc8ddf92d1c568618ac9b5d7578e3e3dae6991b1f5d2f755a58dcdc",
        "test": "99f0df11a50e42f009b516f31567128d7d53ce1ffb87f84845f992b8a2a0db21",
    },
    "rlenvs/LPGGrid-Mazes-v0": {
        "train": "7d8befc810af3f3f128a2700c924c9277e6c2b41d0b60f48ca21f2bd248ea683",
        "test": "33e4967458b03723d89d07ea9ab1c2628b5b0e88aa3bed2331184a070491184a",
    },
    "rlenvs/Maze-v0": {
        "train": "a794b14ec4345c9bd303dad5f528237d6e1b9ffb45646b9b8700fe27808feb17",
        "test": "77fa7e7da9a7f33470134a34f7f6a83f7f89eb401cab3dfdb85802999f12413d",
        "test_ood": "0a2017ac347c1921b9ff11d7e06c35070d7cb0505f28af7b41f4304fd269cfdf",
    },
    "rlenvs/Maze-Walls60-v0": {
        "train": "5383dd65a3d22467cc15278cc582925a4309ab1904d4d5861155ed86954f01ad",
        "test": "77fa7e7da9a7f33470134a34f7f6a83f7f89eb401cab3dfdb85802999f12413d",
        "test_ood": "0a2017ac347c1921b9ff11d7e06c35070d7cb0505f28af7b41f4304fd269cfdf",
    },
    "rlenvs/CombinationLock-v0": {
        "train": "7c95ef61d904e1574e3e545d979a14b198449b866ef05b1ebc8fb6b4717eebbc",
        "test": "7e3d3b5a7d8bc7675d7ea0cadc50d398c9d12c648b35dd353102ce39802f5c53",
    },
    # --- preference ---
    "rlenvs/PrefStrength-v0": {
        "train": "c892b1e1d4cb044e1fd965b6b27036667b3174677821b9c2d7a20c3b30d37e09",
        "test": "b68dc60af9e238be09feaceb2e760f615c3c755fc788e2ac531a368c373b24aa",
    },
    "rlenvs/PrefBandit-v0": {
        "train": "c892b1e1d4cb044e1fd965b6b27036667b3174677821b9c2d7a20c3b30d37e09",
        "test": "b68dc60af9e238be09feaceb2e760f615c3c755fc788e2ac531a368c373b24aa",
    },
    "rlenvs/SynthSumm-v0": {
        "train": "91c324bba197d7116be02b9016b963f7eaa7b13bdf61f3fe9c77ca6cab42a065",
        "valid": "a5ba3db0ec49666978f0908963b30006769a7ac1652d65d44f4f39ebba112b71",
        "test": "62f8baabddc1b3adf44556c6fae25be548e86e156d0b20c4b458d9388aa43f6e",
        "test_alpha25": "2398f8c61e3d2004964f294fdc8067d274431db95f82d7b0b499faf1e985907d",
        "test_alpha50": "2dcd896b9948cd75ad31188a68ef7cddb8206aba3206bc7836517c19bdff93c9",
        "test_alpha75": "c7da896cf817043f4eda5c5367edd43c79242b0286b56374e67ab1faf9a54139",
        "test_ood": "990708602026dcf739679076175fc13adb20f457c1e12d98c657d2a75f4f17d4",
    },
    "rlenvs/SeqInstruct-v0": {
        "train": "0fbc56fdde6cab5ba12abfea30b77f6436b1e81148e3dd536b00408ecb034624",
        "valid": "09aed7afce5d23da4ea3b54ccca76d525a83de9e6cdb02d05a82cf0d5eff3ab1",
        "test": "883c7e8b0a8df0479799810d2ad99d291aafc3655abea19386c6c0f2517e4b96",
        "test_alpha25": "2b568964b82a6c7f42a44fa292cf8485f66f03b9b325d8956fd465674959fbdf",
        "test_alpha50": "25818012acf1cd08ce6951a7279181f61c2a0dea85ef632dfdd2c65afdd2050d",
        "test_alpha75": "9a949dac311998f1255358aa893182f55a16eae0b09d4da7d623355dd24f5f5d",
        "test_ood": "41cbd3ba1c2a4e3ccd338f5fb827d6f63756e4591e8c7703bc61a8cde909b19c",
        "test_heldout": "78429a158596d7c0ec48755ffe071e199bff593e7adfc8060e9172d973ebef51",
    },
    # --- pbrl ---
    "rlenvs/PrefGrid-v0": {
        "train": "573bfeef32f7a8be3ab538d8c77430feffa78f519ffddaea32aaa4f42749d559",
        "test": "b7f2e657552514767b98859b8e88c73fcae1948eafe7c6aa51067cdcdb299fdb",
    },
    "rlenvs/PrefPointButton-v0": {
        "train": "ee4cffc9e44c7b319a2d005e592744be83aece9e77e5c8c049aee1883eef71de",
        "test": "cc4eb1a5e0e614a15860108d80e5844aaf25a92347d495ec11c276ad093fb8a3",
    },
    "rlenvs/PrefPendulum-v0": {
        "train": "174b699738a17c4676006aa18d6228d48e9d15fcfd018965020aef9c928e575e",
        "test": "a3a1e96eb6e65996b435eae2aa2dd00e739b1985116de9791ce894bf9cd1cf98",
        "default": "eb38e48eb3396dad21e54392517c67a6782fee85e1d7e4777970ff4683855265",
    },
    "rlenvs/PrefButtonPress-v0": {  # the ML1 button-press-v3 goals, as rlenvs/MetaWorld-ML1-button-press-v3
        "train": "7d5c8c4dd535ef4ac95a80ec60e570b2d1cdc66e4ff69f553c3b1821e14bb320",
        "test": "067be83b4efb656cc22e886458e3579bde9d896fd1bb200c6e5dfe4f1757dfe6",
    },
    "rlenvs/PrefDoorOpen-v0": {
        "train": "c72c4dc6e8bcd28c1de0680861391b06780a9ce5c98b8859266464652e5bdac0",
        "test": "b5dfaabb32676f2719d92ed44630bcb2e64d2411cde9d844bbee36e6399e02af",
    },
    "rlenvs/PrefSweepInto-v0": {
        "train": "649a560b7d6cfd19f60f60244f0eabb4d31bcf352d6794237fdf1239f0a3e173",
        "test": "6f82fa38146dc803d7165eca9e1735a4c0af6a839253ca09e8886db7a7433b1c",
    },
    "rlenvs/PrefWalker2d-v0": {
        "train": "b20036d772998235b22881b0c9f6bbfc1677a42640d1795b357c94268baddcf9",
        "test": "ae5492f8db787e3146c0915220e74ec20c1bc141d8561a4ff3031be8e7a6de11",
        "default": "20d989de5c7aec43fea511644320a0309871d88c597194cd1a8fe162a9e7c346",
    },
    "rlenvs/PrefHalfCheetah-v0": {
        "train": "524e7c5c9e4c8f904030cf695d948f369c056249e79703a69e7ab46a917eaa84",
        "test": "70867a2ddbf542cd320af87bdb80e9eda349384209f667e6db63a047bbc0b3f3",
        "default": "5cf431a71ae117283ee24783be6efb481a9a792ace4d7d8d8a84d76574269637",
    },
}
