package io.updraft.gateway;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import java.util.List;

/** What the gateway's database holds, read in a transaction of its own: to show a refused request changed nothing. */
record GatewayDatabase(EntityManager entityManager) {

    boolean deviceExists(String controllerId) {
        return !rows("select 1 from device where controller_id = ?1", controllerId).isEmpty();
    }

    /** The stored attributes column of a device, or null without a row. */
    String attributes(String controllerId) {
        List<?> rows = rows("select attributes from device where controller_id = ?1", controllerId);
        return rows.isEmpty() ? null : (String) rows.get(0);
    }

    boolean registered(String controllerId) {
        return !rows("select 1 from device where controller_id = ?1 and registered_at is not null", controllerId)
                .isEmpty();
    }

    String actionStatus(long actionId) {
        List<?> rows = rows("select status from device_action where action_id = ?1", actionId);
        return rows.isEmpty() ? null : (String) rows.get(0);
    }

    /** The last outbox id handed out: unchanged means no event was written for anyone. */
    long outboxSequence() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                "select last_value from outbox_id_seq").getSingleResult()).longValue());
    }

    private List<?> rows(String sql, Object parameter) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(sql)
                .setParameter(1, parameter).getResultList());
    }
}
