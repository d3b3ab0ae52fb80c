package dev.vigil.common.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "a/b/c,       a/b/c,        true",
        "a/b/c,       a/b,          false",
        "a/b/c,       a/b/c/d,      false",
        "a/b/c,       a/B/c,        false",
        "a/+/c,       a/x/c,        true",
        "a/+/c,       a//c,         true",
        "a/+/c,       a/x/y/c,      false",
        "a/#,         a,            true",
        "a/#,         a/x/y/z,      true",
        "a/#,         b/x,          false",
        "#,           any/thing,    true",
        "#,           $SYS/broker,  false",
        "+/x,         $SYS/x,       false",
        "{v}/x,       $SYS/x,       false",
        "$SYS/#,      $SYS/broker,  true",
        "a/{v},       a/x,          true",
        "a/{v},       a/,           false",
        "a/{v},       a/x/y,        false",
        "a/,          a/,           true",
        "a/,          a,            false",
    })
    void matchesLikeMqtt(String pattern, String topic, boolean expected) {
        assertThat(TopicPattern.compile(pattern).matches(topic)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "sensors/{device}/telemetry, sensors/dev1/telemetry, dev1, ",
        "site/{site}/+/{host}/#,     site/paris/x/db1/cpu/0, paris, db1",
    })
    void capturesVariables(String pattern, String topic, String first, String second) {
        TopicPattern compiled = TopicPattern.compile(pattern);
        String[] values = new String[compiled.variableNames().size()];

        assertThat(compiled.match(topic, values)).isTrue();

        assertThat(values[0]).isEqualTo(first);
        if (second != null) {
            assertThat(values[1]).isEqualTo(second);
        }
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a/#/b        | '#' must be the last level",
                "a/b#         | wildcards '+' and '#' must fill a whole level",
                "a/x+/b       | wildcards '+' and '#' must fill a whole level",
                "a/{x}y       | a variable must fill a whole level",
                "a/{x}/{x}    | variable '{x}' appears twice",
                "a/{x y}      | may only use letters, digits",
                "''           | the topic pattern is empty",
            })
    void rejectsBadPatternsWithAReason(String pattern, String message) {
        assertThatThrownBy(() -> TopicPattern.compile(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
