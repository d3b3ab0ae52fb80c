package dev.vigil.common.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingConfigTest {

    @TempDir Path dir;

    @Test
    void builtInRoutingHasTheDocumentedRoutesInOrder() {
        List<Route> routes = RoutingConfig.builtIn().routes();

        assertThat(routes)
                .extracting(r -> r.topic().pattern(), Route::format)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "sensors/{device}/telemetry", PayloadFormat.JSON),
                        org.assertj.core.groups.Tuple.tuple("sensors/#", PayloadFormat.JSON),
                        org.assertj.core.groups.Tuple.tuple(
                                "telegraf/{host}", PayloadFormat.LINE_PROTOCOL),
                        org.assertj.core.groups.Tuple.tuple("collectd/#", PayloadFormat.COLLECTD),
                        org.assertj.core.groups.Tuple.tuple(
                                "replay/{series}", PayloadFormat.LINE_PROTOCOL));
        Route environment = routes.get(0);
        assertThat(environment.measurement()).isEqualTo("environment");
        assertThat(environment.tagFields()).containsExactly("id", "city", "host");
        assertThat(environment.timestampField()).isEqualTo("timestamp");
        assertThat(environment.topic().variableNames()).containsExactly("device");
        assertThat(routes.get(1).measurement()).isEqualTo("sensor");
        assertThat(routes.get(2).precision()).isEqualTo(TimePrecision.NS);
    }

    @Test
    void routeForReturnsTheFirstMatch() {
        RoutingConfig routing = RoutingConfig.builtIn();

        assertThat(routing.routeFor("sensors/a/telemetry").measurement()).isEqualTo("environment");
        assertThat(routing.routeFor("sensors/a/b/c").measurement()).isEqualTo("sensor");
        assertThat(routing.routeFor("nowhere")).isNull();
    }

    @Test
    void loadsAFileAndDefaultsPrecisionToNanoseconds() throws IOException {
        Path file = dir.resolve("routing.yaml");
        Files.writeString(
                file,
                "routes:\n  - topic: lp/{host}\n    format: line-protocol\n"
                        + "  - topic: json/#\n    format: json\n    measurement: m\n");

        List<Route> routes = RoutingConfig.load(file).routes();

        assertThat(routes).hasSize(2);
        assertThat(routes.get(0).precision()).isEqualTo(TimePrecision.NS);
        assertThat(routes.get(1).tagFields()).isEmpty();
        assertThat(routes.get(1).timestampField()).isNull();
    }

    @Test
    void missingFileErrorNamesTheFile() {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> RoutingConfig.load(file))
                .isInstanceOf(RoutingConfigException.class)
                .hasMessageContaining("Cannot read routing file " + file);
    }

    @Test
    void badFileErrorNamesTheFileTheRouteAndTheProblem() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(
                file,
                "routes:\n"
                        + "  - topic: a/#\n"
                        + "    format: json\n"
                        + "    measurement: m\n"
                        + "  - topic: b/#\n"
                        + "    format: xml\n");

        assertThatThrownBy(() -> RoutingConfig.load(file))
                .isInstanceOf(RoutingConfigException.class)
                .hasMessage(
                        "routing file "
                                + file
                                + ": route #2 at line 5, column 5: topic 'b/#' has unknown format"
                                + " 'xml'; expected one of: json, line-protocol, collectd");
    }

    @Test
    void yamlSyntaxErrorGivesTheLine() {
        assertThatThrownBy(
                        () ->
                                RoutingConfig.fromYaml(
                                        "routes:\n  - topic: a\n    format: [json\n  - x: y\n"))
                .isInstanceOf(RoutingConfigException.class)
                .hasMessageStartingWith("routing YAML: invalid YAML at line ");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                                                 | is empty; expected a 'routes:' list",
                "'- a\n- b'                                         | expected a mapping with a 'routes:' list",
                "'rules: []'                                        | unknown key 'rules'; expected 'routes'",
                "'routes: []'                                       | 'routes' is empty",
                "'routes: {topic: a}'                               | 'routes' must be a list",
                "'routes:\n  - format: json'                        | route #1 at line 2, column 5: 'topic' is missing",
                "'routes:\n  - topic: a'                            | route #1 at line 2, column 5: 'format' is missing",
                "'routes:\n  - topic: a\n    format: json'          | topic 'a': a json route needs a 'measurement'",
                "'routes:\n  - {topic: a, format: json, measurement: m, tag_fields: [x]}' | unknown key 'tag_fields'",
                "'routes:\n  - {topic: a, format: line-protocol, precision: minutes}'    | unknown precision 'minutes'; expected one of: s, ms, us, ns",
                "'routes:\n  - {topic: a, format: json, measurement: m, precision: s}'   | 'precision' only applies to line-protocol routes",
                "'routes:\n  - {topic: a, format: collectd, measurement: m}'             | only apply to json routes, not to collectd",
                "'routes:\n  - {topic: a/#/b, format: collectd}'                         | '#' must be the last level",
                "'routes:\n  - {topic: a, format: json, measurement: m, tag-fields: x}'  | 'tag-fields' must be a list",
                "'routes:\n  - {topic: a, format: json, measurement: m}\n  - {topic: a, format: json, measurement: m}\n  - 42' | route #3 at line 4, column 5: expected a mapping",
                "'routes:\n  - {topic: a, format: json, measurement: m, measurement: n}' | invalid YAML",
            })
    void invalidConfigSaysWhatIsWrongAndWhere(String yaml, String message) {
        assertThatThrownBy(() -> RoutingConfig.fromYaml(yaml.replace("\\n", "\n")))
                .isInstanceOf(RoutingConfigException.class)
                .hasMessageContaining(message);
    }
}
