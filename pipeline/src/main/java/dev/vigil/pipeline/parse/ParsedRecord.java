package dev.vigil.pipeline.parse;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import java.util.Objects;

/**
 * What the job's Kafka/Kinesis sources emit: one parsed point of a message, or the reject of a
 * message. Parsing happens inside the source (one record in, n records out) so that the source can
 * assign event time and watermarks per partition/shard; {@link #getTimestamp()} is the point's
 * event time, or the reject's receive time.
 *
 * <p>For the accounting {@code accepted + rejected = received}: every record of an accepted message
 * carries the message's number of points, and the first one is flagged {@link #isMessageStart()}.
 * An accepted message without points is a single record with neither point nor reject.
 */
public class ParsedRecord {

    private MetricPoint point;
    private Reject reject;
    private boolean messageStart;
    private int messagePoints;
    private long timestamp;

    public ParsedRecord() {}

    /** Point {@code index} of an accepted message of {@code count} points. */
    public static ParsedRecord point(MetricPoint point, int index, int count) {
        ParsedRecord record = new ParsedRecord();
        record.point = point;
        record.messageStart = index == 0;
        record.messagePoints = count;
        record.timestamp = point.getTimestamp();
        return record;
    }

    /** A message that was rejected whole. */
    public static ParsedRecord rejected(Reject reject) {
        ParsedRecord record = new ParsedRecord();
        record.reject = reject;
        record.messageStart = true;
        record.timestamp = reject.getReceivedAt();
        return record;
    }

    /** An accepted message that held no point. */
    public static ParsedRecord emptyMessage(long receivedAt) {
        ParsedRecord record = new ParsedRecord();
        record.messageStart = true;
        record.timestamp = receivedAt;
        return record;
    }

    /**
     * Event time: the point's timestamp. A reject or an empty message has none ({@link
     * #NO_EVENT_TIME}): its receive time must not move the split's watermark, or one malformed
     * message received now would make every later point of a replayed or backlogged partition late.
     */
    public static long eventTime(ParsedRecord record, long previousTimestamp) {
        return record.point != null ? record.timestamp : NO_EVENT_TIME;
    }

    /** The event time of records that carry no point; watermark generators skip it. */
    public static final long NO_EVENT_TIME = Long.MIN_VALUE;

    public boolean isReject() {
        return reject != null;
    }

    public MetricPoint getPoint() {
        return point;
    }

    public void setPoint(MetricPoint point) {
        this.point = point;
    }

    public Reject getReject() {
        return reject;
    }

    public void setReject(Reject reject) {
        this.reject = reject;
    }

    public boolean isMessageStart() {
        return messageStart;
    }

    public void setMessageStart(boolean messageStart) {
        this.messageStart = messageStart;
    }

    public int getMessagePoints() {
        return messagePoints;
    }

    public void setMessagePoints(int messagePoints) {
        this.messagePoints = messagePoints;
    }

    public long getTimestamp() {
        return timestamp;
    }

    public void setTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ParsedRecord)) {
            return false;
        }
        ParsedRecord that = (ParsedRecord) o;
        return messageStart == that.messageStart
                && messagePoints == that.messagePoints
                && timestamp == that.timestamp
                && Objects.equals(point, that.point)
                && Objects.equals(reject, that.reject);
    }

    @Override
    public int hashCode() {
        return Objects.hash(point, reject, messageStart, messagePoints, timestamp);
    }

    @Override
    public String toString() {
        return isReject()
                ? "ParsedRecord{reject=" + reject + '}'
                : "ParsedRecord{point=" + point + ", start=" + messageStart + '}';
    }
}
