package io.updraft.gateway.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

@Entity
@Table(name = "device")
@IdClass(Device.Key.class)
public class Device {
    /** A device is its tenant's controllerId: two tenants' {@code gw-1} are two rows. */
    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    @Column(name = "controller_id")
    public String controllerId;

    /** SHA-256 hex of the device's TargetToken; the token itself is never stored. */
    @Column(name = "token_sha256")
    public String tokenSha256;

    /** JSON object of string attributes, as last reported through configData. */
    @Column(name = "attributes", nullable = false)
    public String attributes = "{}";

    @Column(name = "attributes_reported", nullable = false)
    public boolean attributesReported;

    /** Set on first contact, when DeviceRegistered was written; null for devices only known from commands. */
    @Column(name = "registered_at")
    public Instant registeredAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** hawkBit's auto-confirmation: actions needing confirmation are offered for deployment at once. */
    @Column(name = "auto_confirm", nullable = false)
    public boolean autoConfirm;

    @Column(name = "auto_confirm_initiator")
    public String autoConfirmInitiator;

    @Column(name = "auto_confirm_remark")
    public String autoConfirmRemark;

    @Column(name = "auto_confirm_at")
    public Instant autoConfirmAt;

    /** The primary key (tenant_id, controller_id). */
    public static class Key implements Serializable {
        public String tenantId;
        public String controllerId;

        public Key() {
        }

        public Key(String tenantId, String controllerId) {
            this.tenantId = tenantId;
            this.controllerId = controllerId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tenantId, k.tenantId)
                    && Objects.equals(controllerId, k.controllerId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, controllerId);
        }
    }
}
