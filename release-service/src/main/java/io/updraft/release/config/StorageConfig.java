package io.updraft.release.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "updraft.storage")
public interface StorageConfig {
    /**
     * Where artifact bytes live, one file per sha256. Every replica must see the same directory (a shared volume),
     * because any replica may be asked to stream any artifact.
     */
    @WithDefault(".updraft/data/artifacts")
    String dir();
}
