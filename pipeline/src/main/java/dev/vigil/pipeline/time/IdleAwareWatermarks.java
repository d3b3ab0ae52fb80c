package dev.vigil.pipeline.time;

import dev.vigil.pipeline.config.DetectionSettings;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks that keep moving when the input goes quiet.
 *
 * <p>While events arrive, the watermark is {@code max event ts − out-of-orderness − 1}, exactly
 * like {@link WatermarkStrategy#forBoundedOutOfOrderness}. When a split has seen no event for
 * {@code idle-timeout} of <em>wall</em> time, its watermark advances with the wall clock: {@code +
 * (now − last event wall time − idle-timeout)}. The usual alternative, {@code withIdleness}, marks
 * the split idle, which freezes event time when <em>every</em> split is quiet — and then no
 * event-time silence timer ever fires, which is exactly when silence matters most (a gateway or the
 * broker went down). When events come back the watermark resumes from the event timestamps, but
 * never goes backwards: it waits until the events catch up with the advanced watermark.
 *
 * <p>Trade-off: after a pause longer than the idle timeout, event time has been advanced by the
 * wall clock. A device whose clock lags the wall clock by more than {@code idle-timeout +
 * out-of-orderness}, or points that were buffered during the pause and are delivered late (e.g. a
 * device replaying its backlog), are then behind the watermark: late, and dropped by event-time
 * operators. Replays of old files must therefore not pause longer than the idle timeout.
 *
 * <p>A split that never saw an event has no event time to advance from; it is marked idle after the
 * timeout (so it does not hold back the others), as {@code withIdleness} would.
 *
 * <p>The wall clock is injectable ({@link WallClock}) for tests.
 */
public final class IdleAwareWatermarks<T> implements WatermarkStrategy<T> {

    private static final long serialVersionUID = 1L;

    /**
     * Milliseconds since the epoch, serializable (the strategy is shipped to the task managers).
     */
    @FunctionalInterface
    public interface WallClock extends Serializable {
        long millis();

        static WallClock system() {
            return System::currentTimeMillis;
        }
    }

    private final long outOfOrdernessMs;
    private final long idleTimeoutMs;
    private final SerializableTimestampAssigner<T> timestampAssigner;
    private final WallClock clock;

    public IdleAwareWatermarks(
            Duration outOfOrderness,
            Duration idleTimeout,
            SerializableTimestampAssigner<T> timestampAssigner,
            WallClock clock) {
        if (outOfOrderness.isNegative() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "out-of-orderness must be ≥ 0 and idle timeout > 0, got "
                            + outOfOrderness
                            + " and "
                            + idleTimeout);
        }
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.idleTimeoutMs = idleTimeout.toMillis();
        this.timestampAssigner = timestampAssigner;
        this.clock = clock;
    }

    /** {@code watermark.out-of-orderness} and {@code watermark.idle-timeout}, system clock. */
    public static <T> IdleAwareWatermarks<T> forSettings(
            DetectionSettings s, SerializableTimestampAssigner<T> timestampAssigner) {
        return new IdleAwareWatermarks<>(
                Duration.ofMillis(s.outOfOrdernessMs),
                Duration.ofMillis(s.idleTimeoutMs),
                timestampAssigner,
                WallClock.system());
    }

    @Override
    public WatermarkGenerator<T> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new Generator<>(outOfOrdernessMs, idleTimeoutMs, clock);
    }

    @Override
    public TimestampAssigner<T> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return timestampAssigner;
    }

    /** Event-time progress after which a watermark is emitted from {@code onEvent}. */
    public static final long EVENT_EMIT_STEP_MS = 1000;

    /** The per-split generator; see the class comment. */
    public static final class Generator<T> implements WatermarkGenerator<T> {

        private final long outOfOrdernessMs;
        private final long idleTimeoutMs;
        private final WallClock clock;

        private long maxTimestamp = Long.MIN_VALUE;
        private long lastEventWallMs;
        private long lastEmitted = Long.MIN_VALUE;
        private final long createdWallMs;

        public Generator(long outOfOrdernessMs, long idleTimeoutMs, WallClock clock) {
            this.outOfOrdernessMs = outOfOrdernessMs;
            this.idleTimeoutMs = idleTimeoutMs;
            this.clock = clock;
            this.createdWallMs = clock.millis();
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            lastEventWallMs = clock.millis();
            if (eventTimestamp == Long.MIN_VALUE) {
                return; // a record without event time (a reject): activity, not progress
            }
            maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
            emitOnEventTimeProgress(output);
        }

        /**
         * Also emits from the data itself, whenever event time moved by {@link
         * #EVENT_EMIT_STEP_MS}: watermarks then depend on the data, not only on the wall clock, so
         * a fast bounded replay sees the same event-time timers fire (e.g. a silence in the middle
         * of a file) as the live run did. One watermark per second of event time per split costs
         * nothing measurable.
         */
        private void emitOnEventTimeProgress(WatermarkOutput output) {
            long candidate = eventWatermark();
            if (lastEmitted == Long.MIN_VALUE || candidate >= lastEmitted + EVENT_EMIT_STEP_MS) {
                lastEmitted = candidate;
                output.emitWatermark(new Watermark(lastEmitted));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long now = clock.millis();
            if (maxTimestamp == Long.MIN_VALUE) {
                if (now - createdWallMs >= idleTimeoutMs) {
                    output.markIdle();
                }
                return;
            }
            long candidate = saturatedAdd(eventWatermark(), idleAdvance(now));
            if (candidate > lastEmitted) {
                lastEmitted = candidate;
            }
            output.emitWatermark(new Watermark(lastEmitted));
        }

        /** {@code max ts − out-of-orderness − 1}, as in bounded out-of-orderness. */
        private long eventWatermark() {
            return saturatedSubtract(maxTimestamp, outOfOrdernessMs + 1);
        }

        /** Wall time elapsed since the split went idle (0 while it is not idle). */
        private long idleAdvance(long now) {
            long idleSince = lastEventWallMs + idleTimeoutMs;
            return now > idleSince ? now - idleSince : 0;
        }

        /** The current watermark (Long.MIN_VALUE before the first emission), for tests. */
        public long currentWatermark() {
            return lastEmitted;
        }

        private static long saturatedAdd(long a, long b) {
            return a > Long.MAX_VALUE - b ? Long.MAX_VALUE - 1 : a + b;
        }

        private static long saturatedSubtract(long a, long b) {
            return a < Long.MIN_VALUE + b ? Long.MIN_VALUE : a - b;
        }
    }
}
