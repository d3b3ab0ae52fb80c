package dev.vigil.common.parse;

import static dev.vigil.common.parse.ParserFixtures.RECEIVED_AT;
import static dev.vigil.common.parse.ParserFixtures.accept;
import static dev.vigil.common.parse.ParserFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.routing.RoutingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineProtocolParsingTest {

    private static final long T = 1_700_000_000_123L;

    private final TelemetryParser parser = ParserFixtures.builtInParser();

    @Test
    void telegrafLineWithTagsFieldsAndNanosecondTimestamp() {
        List<MetricPoint> points =
                accept(
                        parser,
                        "telegraf/h1",
                        "cpu,cpu=cpu-total,host=srv1 usage_idle=98.5,usage_user=1.25"
                                + " 1700000000123456789");

        String[] tags = {"cpu", "cpu-total", "host", "srv1"}; // the line's host wins over topic's
        assertThat(points)
                .containsExactly(
                        point("cpu", "usage_idle", T, 98.5, tags),
                        point("cpu", "usage_user", T, 1.25, tags));
    }

    @Test
    void topicVariableIsATagAndMissingTimestampIsReceiveTime() {
        List<MetricPoint> points =
                accept(parser, "telegraf/h1", "mem used=42i,free=7u,avail=1.5e3,neg=-2i");

        assertThat(points)
                .containsExactly(
                        point("mem", "used", RECEIVED_AT, 42, "host", "h1"),
                        point("mem", "free", RECEIVED_AT, 7, "host", "h1"),
                        point("mem", "avail", RECEIVED_AT, 1500, "host", "h1"),
                        point("mem", "neg", RECEIVED_AT, -2, "host", "h1"));
    }

    @Test
    void escapedCommasSpacesAndEqualsInAllNames() {
        List<MetricPoint> points =
                accept(
                        parser,
                        "telegraf/h1",
                        "my\\ meas\\,ure,tag\\ key\\,x\\=y=val\\ ue\\,with\\=eq"
                                + " field\\ key\\,a\\=b=1");

        assertThat(points)
                .containsExactly(
                        point(
                                "my meas,ure",
                                "field key,a=b",
                                RECEIVED_AT,
                                1,
                                "host",
                                "h1",
                                "tag key,x=y",
                                "val ue,with=eq"));
    }

    @Test
    void equalsSignNeedsNoEscapeInMeasurementAndOtherBackslashesAreLiteral() {
        List<MetricPoint> points =
                accept(
                        parser,
                        "telegraf/h1",
                        "a=b,path=C:\\dir,share=\\\\\\\\srv\\\\x v=1\n" + "c\\=d v=2");

        assertThat(points)
                .containsExactly(
                        point(
                                "a=b",
                                "v",
                                RECEIVED_AT,
                                1,
                                "host",
                                "h1",
                                "path",
                                "C:\\dir",
                                "share",
                                "\\\\srv\\x"),
                        point("c\\=d", "v", RECEIVED_AT, 2, "host", "h1"));
    }

    @Test
    void quotedStringFieldsWithEscapesAreSkippedButNumbersKept() {
        List<MetricPoint> points =
                accept(
                        parser,
                        "telegraf/h1",
                        "log msg=\"say \\\"hi\\\", a=b c\\\\\",code=5i,ok=true,bad=F,"
                                + "note=\"x y\" 1700000000123000000");

        assertThat(points).containsExactly(point("log", "code", T, 5, "host", "h1"));
    }

    @Test
    void unicodeMeasurementTagsAndFields() {
        List<MetricPoint> points =
                accept(parser, "telegraf/h1", "température,ville=Zürich,城市=東京 値=1.5");

        assertThat(points)
                .containsExactly(
                        point(
                                "température",
                                "値",
                                RECEIVED_AT,
                                1.5,
                                "host",
                                "h1",
                                "ville",
                                "Zürich",
                                "城市",
                                "東京"));
    }

    @Test
    void severalLinesWithCommentsBlankLinesAndCrLf() {
        List<MetricPoint> points =
                accept(
                        parser,
                        "telegraf/h1",
                        "# written by telegraf\n\n  cpu v=1 1700000000123000000\r\n"
                                + "mem v=2,flag=true 1700000001123000000\n"
                                + "status up=true,text=\"only strings\"\n");

        assertThat(points)
                .containsExactly(
                        point("cpu", "v", T, 1, "host", "h1"),
                        point("mem", "v", T + 1000, 2, "host", "h1"));
    }

    @Test
    void extremeIntegersAndFloatForms() {
        List<MetricPoint> points =
                accept(
                        parser,
                        "telegraf/h1",
                        "n min=-9223372036854775808i,umax=18446744073709551615u,"
                                + "a=.5,b=1.,c=-2.5E-3,d=+4,e=1e22,f=0.1");

        assertThat(points)
                .extracting(MetricPoint::getValue)
                .containsExactly(
                        -9.223372036854775808e18,
                        1.8446744073709552e19,
                        0.5,
                        1.0,
                        -0.0025,
                        4.0,
                        1e22,
                        0.1);
    }

    @ParameterizedTest(name = "precision {0}: {1}")
    @CsvSource({
        "s,  1700000000,          1700000000000",
        "ms, 1700000000123,       1700000000123",
        "us, 1700000000123456,    1700000000123",
        "ns, 1700000000123456789, 1700000000123",
        "ns, 0,                   0",
    })
    void routePrecisionConvertsTimestamps(String precision, String timestamp, long millis) {
        TelemetryParser custom =
                new TelemetryParser(
                        RoutingConfig.fromYaml(
                                "routes:\n"
                                        + "  - topic: lp/#\n"
                                        + "    format: line-protocol\n"
                                        + "    precision: "
                                        + precision
                                        + "\n"),
                        ParserLimits.defaults());

        List<MetricPoint> points =
                accept(custom, Envelope.of("lp/x", "m v=3 " + timestamp, RECEIVED_AT));

        assertThat(points).containsExactly(point("m", "v", millis, 3));
    }
}
