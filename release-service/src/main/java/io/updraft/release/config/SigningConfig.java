package io.updraft.release.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "updraft.signing")
public interface SigningConfig {
    /**
     * PEM files (X.509 certificates or public keys, as openssl writes them) whose signatures the service trusts.
     * None: signatures cannot be checked, so a publish that sends one is refused rather than stored unverified.
     */
    Optional<List<String>> trustedKeys();

    /** Refuse artifacts without a valid signature (detached, or a signed SWU's sw-description.sig). */
    @WithDefault("false")
    boolean required();
}
