package dev.vigil.common.model;

import java.util.Objects;

/**
 * A message that was not accepted, with the reason, a human-readable detail and an excerpt of the
 * payload (at most {@link #EXCERPT_LIMIT} characters, non-printable bytes escaped) so an operator
 * can find the sender.
 */
public class Reject {

    public static final int EXCERPT_LIMIT = 200;

    private RejectReason reason;
    private String detail;
    private String topic;
    private String excerpt;
    private long receivedAt;

    /** For serializers. */
    public Reject() {}

    public Reject(
            RejectReason reason, String detail, String topic, String excerpt, long receivedAt) {
        this.reason = reason;
        this.detail = detail;
        this.topic = topic;
        this.excerpt = excerpt;
        this.receivedAt = receivedAt;
    }

    public RejectReason getReason() {
        return reason;
    }

    public void setReason(RejectReason reason) {
        this.reason = reason;
    }

    public String getDetail() {
        return detail;
    }

    public void setDetail(String detail) {
        this.detail = detail;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getExcerpt() {
        return excerpt;
    }

    public void setExcerpt(String excerpt) {
        this.excerpt = excerpt;
    }

    public long getReceivedAt() {
        return receivedAt;
    }

    public void setReceivedAt(long receivedAt) {
        this.receivedAt = receivedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Reject)) {
            return false;
        }
        Reject that = (Reject) o;
        return receivedAt == that.receivedAt
                && reason == that.reason
                && Objects.equals(detail, that.detail)
                && Objects.equals(topic, that.topic)
                && Objects.equals(excerpt, that.excerpt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, detail, topic, excerpt, receivedAt);
    }

    @Override
    public String toString() {
        return "Reject{"
                + reason
                + ": "
                + detail
                + ", topic='"
                + topic
                + "', excerpt='"
                + excerpt
                + "'}";
    }
}
