package dev.vigil.pipeline.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DescribeTest {

    @Test
    void numbersHaveOneDecimalOrThreeSignificantDigits() {
        assertThat(Describe.number(21.0)).isEqualTo("21.0");
        assertThat(Describe.number(-5.04)).isEqualTo("-5.0");
        assertThat(Describe.number(0)).isEqualTo("0.0");
        assertThat(Describe.number(0.00345)).isEqualTo("0.00345");
        assertThat(Describe.number(2.5e7)).isEqualTo("2.50e+07");
        assertThat(Describe.number(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void durationsAreReadable() {
        assertThat(Describe.duration(250L)).isEqualTo("250 ms");
        assertThat(Describe.duration(50_000L)).isEqualTo("50 s");
        assertThat(Describe.duration(90_000L)).isEqualTo("90 s");
        assertThat(Describe.duration(300_000L)).isEqualTo("5 min");
        assertThat(Describe.duration(330_000L)).isEqualTo("5 min 30 s");
        assertThat(Describe.duration(7_500_000L)).isEqualTo("2 h 5 min");
        assertThat(Describe.duration(10_000.4)).isEqualTo("10 s");
    }
}
