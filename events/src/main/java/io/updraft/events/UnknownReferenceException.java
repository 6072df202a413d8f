package io.updraft.events;

/**
 * A readable event that names something its reader has never seen and cannot have missed (a rollback of a rollout
 * that does not exist, a release marked stable before it was published). Applying it would act on a guess; the
 * consumer parks it on the dead-letter topic with this message as the reason, and changes nothing.
 */
public class UnknownReferenceException extends RuntimeException {
    public UnknownReferenceException(String message) {
        super(message);
    }
}
