package io.updraft.events;

/** How insistently a device is asked to install (hawkBit's action types). */
public enum ActionType {
    FORCED, SOFT, DOWNLOAD_ONLY, TIMEFORCED
}
