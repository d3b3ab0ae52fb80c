package dev.vigil.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class SurpriseCalibrationTest {

    private static final double D = Math.pow(2.0, -1.0 / SurpriseCalibration.HALF_LIFE_POINTS);

    @Test
    void levelsAreFourPerDoublingFromTwoTo128() {
        assertThat(SurpriseCalibration.levelOf(1.99)).isEqualTo(-1);
        assertThat(SurpriseCalibration.levelOf(Double.NaN)).isEqualTo(-1);
        assertThat(SurpriseCalibration.levelOf(2.0)).isEqualTo(0);
        assertThat(SurpriseCalibration.levelOf(4.0)).isEqualTo(4);
        assertThat(SurpriseCalibration.levelOf(8.0)).isEqualTo(8);
        assertThat(SurpriseCalibration.levelOf(9.0)).isEqualTo(8);
        assertThat(SurpriseCalibration.levelOf(128.0)).isEqualTo(24);
        assertThat(SurpriseCalibration.levelOf(1e300)).isEqualTo(24);
    }

    @Test
    void modelIsTrustedUntilFiveDecayedEventsThenTheirRateIsThePValue() {
        SurpriseCalibration c = new SurpriseCalibration();
        // Five events decay to just under 5: the sixth is still scored by the model.
        for (int i = 0; i < 120; i++) {
            double calibrated = c.observe(i % 20 == 0 ? 8.0 : 0.0);
            if (i % 20 == 0) {
                assertThat(calibrated).as("event %d", i / 20 + 1).isEqualTo(8.0);
            } else {
                assertThat(calibrated).isEqualTo(0.0);
            }
        }

        double sixth = c.observe(8.0);

        // Events at 0, 20, …, 80, decayed to point 100; points 0…99 decayed likewise.
        double events =
                Math.pow(D, 19)
                        * (1
                                + Math.pow(D, 20)
                                + Math.pow(D, 40)
                                + Math.pow(D, 60)
                                + Math.pow(D, 80));
        double points = (1 - Math.pow(D, 100)) / (1 - D);
        assertThat(sixth).isCloseTo(-Math.log10(events / points), within(1e-6));
        assertThat(sixth).isCloseTo(1.30, within(0.01));
        // Less surprising than the recurring events is unaffected.
        assertThat(c.observe(1.5)).isEqualTo(1.5);
    }

    @Test
    void aRunOfSurprisingPointsIsOneEvent() {
        SurpriseCalibration c = new SurpriseCalibration();
        for (int i = 0; i < 10; i++) {
            assertThat(c.observe(8.0)).isEqualTo(8.0);
        }
        assertThat(c.getEvents()[8]).isCloseTo((float) Math.pow(D, 9), within(1e-6f));
        assertThat(c.getEvents()[0]).isEqualTo(c.getEvents()[8]);
        assertThat(c.getEvents()[9]).isEqualTo(0.0f);
        assertThat(c.getPreviousLevel()).isEqualTo((byte) 8);
    }

    @Test
    void isAPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SurpriseCalibration.class);
    }
}
