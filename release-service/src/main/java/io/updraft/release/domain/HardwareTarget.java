package io.updraft.release.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A hardware model and revision the release may be installed on ("*" revision: any). */
@Embeddable
public class HardwareTarget {
    @Column(name = "model", nullable = false, length = 100)
    private String model;
    @Column(name = "revision", nullable = false, length = 100)
    private String revision;

    protected HardwareTarget() {
    }

    public HardwareTarget(String model, String revision) {
        this.model = model;
        this.revision = revision;
    }

    public String model() {
        return model;
    }

    public String revision() {
        return revision;
    }
}
