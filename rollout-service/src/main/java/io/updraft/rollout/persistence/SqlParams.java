package io.updraft.rollout.persistence;

import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.List;

/** Positional parameters of a native query built piece by piece: {@link #bind} returns the placeholder. */
final class SqlParams {
    private final List<Object> values = new ArrayList<>();

    String bind(Object value) {
        values.add(value);
        return "?" + values.size();
    }

    Query applyTo(Query query) {
        for (int i = 0; i < values.size(); i++) {
            query.setParameter(i + 1, values.get(i));
        }
        return query;
    }
}
