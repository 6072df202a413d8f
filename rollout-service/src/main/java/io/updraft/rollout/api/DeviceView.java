package io.updraft.rollout.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

public record DeviceView(String deviceId, Map<String, String> attributes, String cohort, String installedReleaseId,
        String installedVersion, Instant lastSeen) {

    /**
     * One page of the inventory, by device id.
     *
     * @param total how many devices match, for {@code page}/{@code size} requests; null for {@code cursor}/{@code limit}
     *        ones (keyset paging does not count the whole table on every page)
     * @param nextCursor what to pass as {@code cursor} for the page after this one; null on the last page
     */
    public record Page(List<DeviceView> items, int page, int size, Long total, String nextCursor) {
    }
}
