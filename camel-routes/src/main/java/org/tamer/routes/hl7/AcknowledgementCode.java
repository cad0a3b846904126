package org.tamer.routes.hl7;

/** MSA-1 codes: original mode (application) and enhanced mode (commit) acknowledgements. */
public enum AcknowledgementCode {
    /** Application accept. */
    AA,
    /** Application error. */
    AE,
    /** Application reject. */
    AR,
    /** Commit accept. */
    CA,
    /** Commit error. */
    CE,
    /** Commit reject. */
    CR;

    public boolean isAccept() {
        return this == AA || this == CA;
    }
}
