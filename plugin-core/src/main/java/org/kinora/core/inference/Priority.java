package org.kinora.core.inference;

/** Scheduling priority of an inference request: interactive previews go before final renders. */
public enum Priority {
    /** A preview the user waits for. */
    INTERACTIVE,
    /** A final render. */
    BATCH
}
