package dev.vigil.pipeline.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.parse.ParsedRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Out-of-orderness 10 s, idle timeout 30 s, a fake wall clock. */
class IdleAwareWatermarksTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long WALL0 = 1_800_000_000_000L;
    private static final long SECOND = 1_000L;

    private final AtomicLong wall = new AtomicLong(WALL0);
    private final RecordingOutput output = new RecordingOutput();
    private WatermarkGenerator<Long> generator;

    @BeforeEach
    void createGenerator() {
        IdleAwareWatermarks<Long> strategy =
                new IdleAwareWatermarks<>(
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30),
                        (event, previous) -> event,
                        wall::get);
        generator = strategy.createWatermarkGenerator(null);
    }

    private void event(long ts) {
        generator.onEvent(ts, ts, output);
    }

    private long emit() {
        generator.onPeriodicEmit(output);
        return output.last();
    }

    private void wallAdvance(long ms) {
        wall.addAndGet(ms);
    }

    @Test
    void boundedOutOfOrdernessFromTheLargestTimestamp() {
        event(T0 + 5 * SECOND);
        event(T0 + 20 * SECOND);
        event(T0 + 12 * SECOND);

        assertThat(emit()).isEqualTo(T0 + 20 * SECOND - 10 * SECOND - 1);
    }

    @Test
    void recordsWithoutEventTimeKeepTheSplitActiveButDoNotMoveItsWatermark() {
        // A reject's receive time (now) is far ahead of replayed data: it must not count.
        ParsedRecord reject =
                ParsedRecord.rejected(
                        new Reject(RejectReason.MALFORMED, "bad", "t", "", T0 + 300 * 86_400_000L));
        long rejectTime = ParsedRecord.eventTime(reject, Long.MIN_VALUE);
        assertThat(rejectTime).isEqualTo(ParsedRecord.NO_EVENT_TIME);

        event(T0 + 20 * SECOND);
        wallAdvance(29 * SECOND);
        generator.onEvent(rejectTime, rejectTime, output);
        wallAdvance(29 * SECOND); // 58 s after the last point, 29 s after the reject: not idle

        assertThat(emit()).isEqualTo(T0 + 20 * SECOND - 10 * SECOND - 1);
    }

    @Test
    void holdsStillUntilTheIdleTimeout() {
        event(T0);
        long before = emit();

        wallAdvance(30 * SECOND);

        assertThat(emit()).isEqualTo(before).isEqualTo(T0 - 10 * SECOND - 1);
    }

    @Test
    void advancesWithTheWallClockOnceIdle() {
        event(T0);
        wallAdvance(30 * SECOND + 5 * SECOND);
        assertThat(emit()).isEqualTo(T0 - 10 * SECOND - 1 + 5 * SECOND);

        wallAdvance(10 * 60 * SECOND);
        assertThat(emit()).isEqualTo(T0 - 10 * SECOND - 1 + 5 * SECOND + 10 * 60 * SECOND);
        assertThat(output.idle).isFalse();
    }

    @Test
    void resumesFromTheEventsWhenTheyComeBack() {
        event(T0);
        wallAdvance(40 * SECOND);
        assertThat(emit()).isEqualTo(T0 - 10 * SECOND - 1 + 10 * SECOND);

        event(T0 + 40 * SECOND);
        assertThat(emit()).isEqualTo(T0 + 40 * SECOND - 10 * SECOND - 1);

        // busy again: no idle advance, however much wall time passes below the timeout
        wallAdvance(29 * SECOND);
        assertThat(emit()).isEqualTo(T0 + 40 * SECOND - 10 * SECOND - 1);
    }

    @Test
    void neverGoesBackwards() {
        event(T0);
        wallAdvance(30 * SECOND + 60 * SECOND);
        long advanced = emit();
        assertThat(advanced).isEqualTo(T0 - 10 * SECOND - 1 + 60 * SECOND);

        event(T0 + 5 * SECOND); // behind the advanced watermark: late
        assertThat(emit()).isEqualTo(advanced);
        event(T0 - 60 * SECOND);
        assertThat(emit()).isEqualTo(advanced);

        List<Long> all = output.watermarks;
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i)).isGreaterThanOrEqualTo(all.get(i - 1));
        }
    }

    @Test
    void aSplitWithoutEventsEmitsNothingAndGoesIdleAfterTheTimeout() {
        generator.onPeriodicEmit(output);
        wallAdvance(30 * SECOND - 1);
        generator.onPeriodicEmit(output);
        assertThat(output.watermarks).isEmpty();
        assertThat(output.idle).isFalse();

        wallAdvance(1);
        generator.onPeriodicEmit(output);

        assertThat(output.watermarks).isEmpty();
        assertThat(output.idle).isTrue();
    }

    @Test
    void forSettingsUsesTheConfiguredBoundsAndAssigner() throws Exception {
        DetectionSettings s =
                DetectionSettings.withOverrides(
                        c -> c.set(VigilOptions.OUT_OF_ORDERNESS, Duration.ofSeconds(2)));
        SerializableTimestampAssigner<Long> assigner = (event, previous) -> event + 1;

        IdleAwareWatermarks<Long> strategy =
                InstantiationUtil.clone(IdleAwareWatermarks.forSettings(s, assigner));
        WatermarkGenerator<Long> g = strategy.createWatermarkGenerator(null);
        g.onEvent(T0, T0, output);
        g.onPeriodicEmit(output);

        assertThat(output.last()).isEqualTo(T0 - 2 * SECOND - 1);
        assertThat(strategy.createTimestampAssigner(null).extractTimestamp(T0, 0))
                .isEqualTo(T0 + 1);
    }

    /** Records what a generator emits. */
    private static final class RecordingOutput implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }

        long last() {
            return watermarks.get(watermarks.size() - 1);
        }
    }
}
