package dev.vigil.pipeline.grafana;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grafana's InfluxQL interpolation, as far as vigil's dashboards use it: {@code $timeFilter},
 * {@code $__interval}, {@code $__interval_ms}, {@code $interval}, and template variables as {@code
 * $name} / {@code ${name}} — regex-escaped inside {@code /^$name$/} (as Grafana does for InfluxDB),
 * except the "All" value, which is the variable's allValue regex.
 */
final class GrafanaMacros {

    private static final String REGEX_SPECIALS = "\\^$.|?*+()[]{}/";

    private final long fromMs;
    private final long toMs;
    private final String interval;
    private final long intervalMs;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Boolean> isAll = new LinkedHashMap<>();

    GrafanaMacros(long fromMs, long toMs, String interval, long intervalMs) {
        this.fromMs = fromMs;
        this.toMs = toMs;
        this.interval = interval;
        this.intervalMs = intervalMs;
    }

    /** Sets a variable to a concrete value. */
    GrafanaMacros set(String name, String value) {
        values.put(name, value);
        isAll.put(name, false);
        return this;
    }

    /** Sets a variable to "All", i.e. its allValue regex, used verbatim. */
    GrafanaMacros setAll(String name, String allValue) {
        values.put(name, allValue);
        isAll.put(name, true);
        return this;
    }

    String get(String name) {
        return values.get(name);
    }

    String apply(String query) {
        String out =
                query.replace("$timeFilter", "time >= " + fromMs + "ms and time <= " + toMs + "ms")
                        .replace("$__interval_ms", String.valueOf(intervalMs))
                        .replace("$__interval", interval)
                        .replace("$interval", interval);
        // Longest names first, so that $job never eats the prefix of a longer $jobs.
        for (String name :
                values.keySet().stream()
                        .sorted(Comparator.comparingInt(String::length).reversed())
                        .toList()) {
            String value = values.get(name);
            String inRegex = isAll.get(name) ? value : escapeRegex(value);
            out = replaceVariable(out, "/^", "$/", name, inRegex);
            out = out.replace("${" + name + "}", value);
            out =
                    out.replaceAll(
                            "\\$" + Pattern.quote(name) + "\\b", Matcher.quoteReplacement(value));
        }
        return out;
    }

    private static String replaceVariable(
            String query, String before, String after, String name, String value) {
        String replacement = before + value + after;
        return query.replace(before + "$" + name + after, replacement)
                .replace(before + "${" + name + "}" + after, replacement);
    }

    static String escapeRegex(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (REGEX_SPECIALS.indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
