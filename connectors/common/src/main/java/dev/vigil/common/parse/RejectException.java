package dev.vigil.common.parse;

import dev.vigil.common.model.RejectReason;

/** Internal control flow: the message is rejected. No stack trace (cheap to throw). */
final class RejectException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    RejectException(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    RejectReason reason() {
        return reason;
    }

    static RejectException malformed(String detail) {
        return new RejectException(RejectReason.MALFORMED, detail);
    }
}
