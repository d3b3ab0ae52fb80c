package dev.vigil.common.parse;

import static dev.vigil.common.parse.ParserFixtures.RECEIVED_AT;
import static dev.vigil.common.parse.ParserFixtures.accept;
import static dev.vigil.common.parse.ParserFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.routing.RoutingConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollectdParsingTest {

    private final TelemetryParser parser = ParserFixtures.builtInParser();

    @Test
    void loadHasThreeNamedValues() {
        List<MetricPoint> points =
                accept(parser, "collectd/srv1/load/load", "1700000000.123:0.5:0.75:1.25");

        String[] tags = {"host", "srv1", "plugin", "load", "type", "load"};
        assertThat(points)
                .containsExactly(
                        point("collectd", "shortterm", 1_700_000_000_123L, 0.5, tags),
                        point("collectd", "midterm", 1_700_000_000_123L, 0.75, tags),
                        point("collectd", "longterm", 1_700_000_000_123L, 1.25, tags));
    }

    @Test
    void interfaceOctetsWithPluginInstanceAndNulTerminator() {
        byte[] payload = "1700000000.000:1024:2048\0".getBytes(StandardCharsets.UTF_8);

        List<MetricPoint> points =
                accept(
                        parser,
                        new Envelope(
                                "collectd/srv1/interface-eth0/if_octets", payload, RECEIVED_AT));

        String[] tags = {
            "host", "srv1", "plugin", "interface", "plugin_instance", "eth0", "type", "if_octets"
        };
        assertThat(points)
                .containsExactly(
                        point("collectd", "rx", 1_700_000_000_000L, 1024, tags),
                        point("collectd", "tx", 1_700_000_000_000L, 2048, tags));
    }

    @Test
    void nowTimeAndTypeInstance() {
        List<MetricPoint> points = accept(parser, "collectd/srv1/cpu-0/percent-idle", "N:97.5");

        assertThat(points)
                .containsExactly(
                        point(
                                "collectd",
                                "value",
                                RECEIVED_AT,
                                97.5,
                                "host",
                                "srv1",
                                "plugin",
                                "cpu",
                                "plugin_instance",
                                "0",
                                "type",
                                "percent",
                                "type_instance",
                                "idle"));
    }

    @Test
    void unknownMultiValuedTypeGetsNumberedValues() {
        List<MetricPoint> points =
                accept(parser, "collectd/srv1/custom/mytype", "1700000000:1:2:3");

        String[] tags = {"host", "srv1", "plugin", "custom", "type", "mytype"};
        assertThat(points)
                .containsExactly(
                        point("collectd", "value0", 1_700_000_000_000L, 1, tags),
                        point("collectd", "value1", 1_700_000_000_000L, 2, tags),
                        point("collectd", "value2", 1_700_000_000_000L, 3, tags));
    }

    @Test
    void diskOpsAndTopicVariablesOfACustomRoute() {
        TelemetryParser custom =
                new TelemetryParser(
                        RoutingConfig.fromYaml(
                                "routes:\n"
                                        + "  - topic: site/{site}/collectd/+/+/+\n"
                                        + "    format: collectd\n"),
                        ParserLimits.defaults());

        List<MetricPoint> points =
                accept(custom, "site/paris/collectd/db1/disk-sda/disk_ops", "N:10:20");

        String[] tags = {
            "host",
            "db1",
            "plugin",
            "disk",
            "plugin_instance",
            "sda",
            "site",
            "paris",
            "type",
            "disk_ops"
        };
        assertThat(points)
                .containsExactly(
                        point("collectd", "read", RECEIVED_AT, 10, tags),
                        point("collectd", "write", RECEIVED_AT, 20, tags));
    }
}
