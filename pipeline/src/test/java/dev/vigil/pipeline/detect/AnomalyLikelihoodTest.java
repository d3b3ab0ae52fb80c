package dev.vigil.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class AnomalyLikelihoodTest {

    /** Points until the first likelihood: a full window, then the learning period. */
    private static final int SILENT =
            AnomalyLikelihood.WINDOW - 1 + AnomalyLikelihood.LEARNING_POINTS;

    @Test
    void nothingIsReportedWhileLearning() {
        AnomalyLikelihood l = new AnomalyLikelihood();
        for (int i = 0; i < SILENT; i++) {
            assertThat(l.observe(i % 3 == 0 ? 50.0 : 0.0)).as("point %d", i).isEqualTo(0.0);
        }
    }

    @Test
    void firstEventAfterAQuietHistoryUsesHtmsLowerBounds() {
        AnomalyLikelihood l = new AnomalyLikelihood();
        for (int i = 0; i < 400; i++) {
            assertThat(l.observe(1.0)).isEqualTo(0.0);
        }
        assertThat(l.getMean()).isEqualTo(0.0);
        assertThat(l.getVariance()).isEqualTo(0.0);

        double first = l.observe(AnomalyLikelihood.EVENT_LOG10P);

        // Average 1/10 against mean ≥ 0.03, variance ≥ 0.0003: z = 0.07/√0.0003 = 4.0415.
        double z = 0.07 / Math.sqrt(0.0003);
        assertThat(first).isCloseTo(Math.log10(2.0) - GaussianTail.log10P(z), within(1e-12));
        assertThat(first).isCloseTo(4.57, within(0.01));
        assertThat(l.observe(AnomalyLikelihood.EVENT_LOG10P)).isGreaterThan(first);
        // Below the event level a point is not an event.
        assertThat(l.getRecentEvents()).isEqualTo(0b11);
        l.observe(4.99);
        assertThat(l.getRecentEvents()).isEqualTo(0b110);
    }

    @Test
    void regularEventsAreNormalADenserBurstIsNot() {
        AnomalyLikelihood l = new AnomalyLikelihood();
        double regular = 0.0;
        for (int i = 0; i < 2000; i++) {
            double s = l.observe(i % 20 == 0 ? 12.0 : 0.0);
            if (i >= 1000) {
                regular = Math.max(regular, s);
            }
        }
        double burst = 0.0;
        for (int i = 0; i < 10; i++) {
            burst = Math.max(burst, l.observe(i % 2 == 0 ? 12.0 : 0.0));
        }
        assertThat(regular).isLessThan(1.0);
        assertThat(burst).isGreaterThan(5.0);
    }

    @Test
    void isAPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(AnomalyLikelihood.class);
    }
}
